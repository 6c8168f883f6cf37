import { draftRuleSet, grantOfficers, publishRuleSet } from './compliance-client';
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

/**
 * Makes the US rule set one that holds every post containing `word` for review: drafted by
 * officer A, published by officer B (four eyes).
 */
export async function holdPostsContaining(world: ConsoleWorld, word: string): Promise<void> {
  const draft = await draftRuleSet(world.officerA, 'US', [
    {
      name: 'Collective action',
      matcher: { kind: 'KEYWORDS', terms: [word] },
      action: 'HOLD',
      legalBasis: 'Community guidelines §2',
      explanation: 'Posts about walkouts are reviewed before they appear.',
    },
  ]);
  await publishRuleSet(world.officerB, draft);
}
