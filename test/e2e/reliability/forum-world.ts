import { OPERATOR_ACTOR } from '../../../src/audit/audit-trail.service';
import { draftRuleSet, publishRuleSet } from '../../utils/compliance-client';
import { AccountsService } from '../../../src/identity/accounts/accounts.service';
import { Role } from '../../../src/infrastructure/auth/role';
import {
  createGeneralBoard,
  signUpMember,
  verifyEmployer,
  type SignedInClient,
} from '../../utils/identity-client';
import { SmtpPeer } from '../../utils/smtp-peer';
import { createTestApp } from '../../utils/test-app';
import { createTestStores, type TestStores } from '../../utils/test-env';
import { killServer, type ServerProcess } from '../../utils/server-process';

import { NO_RATE_LIMITS as RATE_LIMITS_OFF } from '../../../src/infrastructure/rate-limit/no-rate-limits';

/** Budgets high enough that a reliability test measures the server, not its rate limits. */
export const NO_RATE_LIMITS: Record<string, string> = {
  ...RATE_LIMITS_OFF,
  PASSWORD_HASH_QUEUE: '1000',
};
/** A word that a US HOLD rule (`HELD_WORD_RULE`) sends to moderators. */
export const HOLD_WORD = 'holdword';

/** The US rule that holds every post with HOLD_WORD for review. */
export const HELD_WORD_RULE = {
  name: 'Held word',
  matcher: { kind: 'KEYWORDS', terms: [HOLD_WORD] },
  action: 'HOLD',
  legalBasis: 'Test policy',
  explanation: 'Posts with this word wait for a moderator.',
};

export interface Credentials {
  email: string;
  password: string;
  token: string;
}

export interface ForumWorld {
  boardId: string;
  admin: Credentials;
  /** Verified employees of the company, who may post on the public board. */
  members: Credentials[];
}

const credentials = (client: SignedInClient): Credentials => ({
  email: client.email,
  password: client.password,
  token: client.token,
});

/**
 * Prepares a forum in `stores` through the real API, in this process: an admin (granted as
 * the CLI does; also officer and moderator when `rules` are published), a company, the
 * public board `general` and `memberCount` verified members.
 * The app is closed afterwards, so a server process can then be started on the same stores
 * (with the same APP_SECRET, so the sessions returned stay valid).
 */
export async function prepareForum(
  stores: TestStores,
  memberCount: number,
  /** Active US rules to publish: e.g. a HOLD rule, so posts go to the review queue. */
  rules: readonly object[] = [],
): Promise<ForumWorld> {
  const smtp = new SmtpPeer();
  await smtp.start();
  const app = await createTestApp(
    { ...NO_RATE_LIMITS, SMTP_URL: smtp.url, COMPLIANCE_FOUR_EYES: 'false' },
    [],
    stores,
  );
  try {
    const admin = await signUpMember(app, smtp);
    await app.app.get(AccountsService).grantRole(admin.email, Role.ADMIN, OPERATOR_ACTOR);
    if (rules.length > 0) {
      const accounts = app.app.get(AccountsService);
      await accounts.grantRole(admin.email, Role.COMPLIANCE_OFFICER, OPERATOR_ACTOR);
      await accounts.grantRole(admin.email, Role.MODERATOR, OPERATOR_ACTOR);
      await publishRuleSet(admin, await draftRuleSet(admin, 'US', rules));
    }
    const company = await admin.gql(
      'mutation { createCompany(name: "Durable", slug: "durable", domains: ["durable.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
    );
    if (company.errors !== undefined)
      throw new Error(`createCompany failed: ${JSON.stringify(company.errors)}`);
    const boardId = await createGeneralBoard(admin);
    const members: Credentials[] = [];
    for (let i = 0; i < memberCount; i++) {
      const member = await signUpMember(app, smtp);
      const verified = await verifyEmployer(app, smtp, member, `worker${i}@durable.example`);
      if (verified.errors !== undefined)
        throw new Error(`verifyEmployer failed: ${JSON.stringify(verified.errors)}`);
      members.push(credentials(member));
    }
    return { boardId, admin: credentials(admin), members };
  } finally {
    await app.close();
    await smtp.stop();
  }
}

/**
 * The Jest hooks of a suite that runs the built server on one prepared forum: stores and
 * forum made once (`memberCount` members), the server of each test (`suite.server`, set by
 * the test) killed after it, the stores disposed at the end.
 */
export function forumServerSuite(memberCount: number): {
  stores: () => TestStores;
  world: () => ForumWorld;
  server: { current?: ServerProcess };
} {
  let stores: TestStores | undefined;
  let world: ForumWorld | undefined;
  const server: { current?: ServerProcess } = {};
  beforeAll(async () => {
    stores = createTestStores();
    world = await prepareForum(stores, memberCount);
  }, 240_000);
  afterEach(async () => killServer(server.current));
  afterAll(async () => stores?.dispose());
  return { stores: () => stores!, world: () => world!, server };
}
