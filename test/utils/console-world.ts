import { grantOfficers } from './compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  type IdentityTestApp,
  type SignedInClient,
  signUpMember,
} from './identity-client';

/** The real app with the staff a console test needs, all signed up through the real flow. */
export interface ConsoleWorld extends IdentityTestApp {
  /** The public US board `general`. */
  boardId: string;
  member: SignedInClient;
  moderator: SignedInClient;
  officerA: SignedInClient;
  officerB: SignedInClient;
}

export async function createConsoleWorld(env: Record<string, string> = {}): Promise<ConsoleWorld> {
  const world = await createIdentityTestApp({ name: 'Acme Corp', slug: 'acme' }, undefined, env);
  const boardId = await createGeneralBoard(world.admin);
  const member = await signUpMember(world.app, world.smtp);
  const moderator = await signUpMember(world.app, world.smtp);
  const officerA = await signUpMember(world.app, world.smtp);
  const officerB = await signUpMember(world.app, world.smtp);
  const granted = await world.admin.gql(
    'mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }',
    {
      e: moderator.email,
    },
  );
  if (granted.errors !== undefined) throw new Error(JSON.stringify(granted.errors));
  await grantOfficers(world.admin, [officerA, officerB]);
  return { ...world, boardId, member, moderator, officerA, officerB };
}
