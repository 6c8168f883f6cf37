import { OPERATOR_ACTOR } from '../../src/audit/audit-trail.service';
import { AccountsService } from '../../src/identity/accounts/accounts.service';
import { SanctionKind } from '../../src/identity/moderation/sanction-kind';
import { SanctionsService } from '../../src/identity/moderation/sanctions.service';
import { AuthorSealService } from '../../src/identity/sealing/author-seal.service';
import { SessionsService } from '../../src/identity/sessions/sessions.service';
import { Role } from '../../src/infrastructure/auth/role';
import { SmtpPeer } from './smtp-peer';
import { createTestApp, type GraphqlResponse, type TestApp } from './test-app';
import { NO_RATE_LIMITS } from '../../src/infrastructure/rate-limit/no-rate-limits';

export interface SignedInClient {
  email: string;
  token: string;
  password: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>>;
}

export const SIGN_UP = `mutation ($email: String!, $code: String!, $password: String!, $jurisdiction: String!) {
  signUp(email: $email, code: $code, password: $password, jurisdiction: $jurisdiction) { token expiresAt viewer { roles jurisdiction } }
}`;

let counter = 0;

/** Signs a new member up through the real flow: requestEmailCode → SMTP → signUp. */
export async function signUpMember(
  app: TestApp,
  smtp: SmtpPeer,
  options: { email?: string; password?: string; jurisdiction?: string } = {},
): Promise<SignedInClient> {
  counter += 1;
  const email = options.email ?? `member${counter}.${Date.now()}@example.org`;
  const password = options.password ?? 'correct horse battery';
  const code = await smtp.captureCode(email, () =>
    app.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email }),
  );
  const res = await app.gql<{ signUp: { token: string } }>(SIGN_UP, {
    email,
    code,
    password,
    jurisdiction: options.jurisdiction ?? 'US',
  });
  if (res.data?.signUp.token === undefined)
    throw new Error(`sign-up failed: ${JSON.stringify(res.errors)}`);
  const token = res.data.signUp.token;
  return {
    email,
    token,
    password,
    gql: (query, variables) => app.gql(query, variables, { authorization: `Bearer ${token}` }),
  };
}

/**
 * Verifies `client` as an employee through requestEmailCode → SMTP → verifyEmployer, the code
 * requested signed in as `client` (only that account can use it).
 */
export async function verifyEmployer(
  _app: TestApp,
  smtp: SmtpPeer,
  client: SignedInClient,
  workEmail: string,
) {
  const code = await smtp.captureCode(workEmail, () =>
    client.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: workEmail }),
  );
  return client.gql<{ verifyEmployer: { status: string; company: { slug: string } } }>(
    'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status expiresAt company { slug name } } }',
    { e: workEmail, c: code },
  );
}

export interface IdentityTestApp {
  app: TestApp;
  smtp: SmtpPeer;
  admin: SignedInClient;
  close(): Promise<void>;
}

/**
 * The real app wired to a real SMTP peer, with one admin (granted as the CLI would) and one
 * company whose domain is `<slug>.example`.
 */
export async function createIdentityTestApp(
  company: { name: string; slug: string },
  adminEmail?: string,
  /** Extra configuration, e.g. a lower COMPANY_BOARD_MIN_MEMBERS. */
  env: Record<string, string> = {},
): Promise<IdentityTestApp> {
  const smtp = new SmtpPeer();
  await smtp.start();
  const app = await createTestApp({ ...env, SMTP_URL: smtp.url });
  const admin = await signUpMember(
    app,
    smtp,
    adminEmail === undefined ? {} : { email: adminEmail },
  );
  await app.app.get(AccountsService).grantRole(admin.email, Role.ADMIN, OPERATOR_ACTOR);
  const created = await admin.gql(
    `mutation ($name: String!, $slug: String!, $domains: [String!]!) {
      createCompany(name: $name, slug: $slug, domains: $domains, industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id }
    }`,
    { name: company.name, slug: company.slug, domains: [`${company.slug}.example`] },
  );
  if (created.errors !== undefined)
    throw new Error(`createCompany failed: ${JSON.stringify(created.errors)}`);
  return {
    app,
    smtp,
    admin,
    async close() {
      await app.close();
      await smtp.stop();
    },
  };
}

/**
 * The real app with two companies, Initech (`initech.example`) and Globex (`globex.example`),
 * company boards opening at their first member, visitors reading public boards, and the
 * viewer's jurisdiction taken from `X-Country`; no rate limits.
 */
export async function createTwoCompanyTestApp(
  env: Record<string, string> = {},
): Promise<IdentityTestApp> {
  const app = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
    ...NO_RATE_LIMITS,
    COMPANY_BOARD_MIN_MEMBERS: '1',
    PUBLIC_READ: 'true',
    TRUSTED_JURISDICTION_HEADER: 'X-Country',
    ...env,
  });
  const created = await app.admin.gql(
    'mutation { createCompany(name: "Globex", slug: "globex", domains: ["globex.example"], industry: "Energy", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
  );
  if (created.errors !== undefined)
    throw new Error(`createCompany failed: ${JSON.stringify(created.errors)}`);
  return app;
}

/** Creates the public US board `general` as `admin`; returns its id. */
export async function createGeneralBoard(admin: SignedInClient): Promise<string> {
  const res = await admin.gql<{ createBoard: { id: string } }>(
    'mutation { createBoard(slug: "general", name: "General", jurisdiction: "US") { id } }',
  );
  if (res.data?.createBoard.id === undefined)
    throw new Error(`createBoard failed: ${JSON.stringify(res.errors)}`);
  return res.data.createBoard.id;
}

/** Suspends the client's account for three days, as a moderator's decision on their post would. */
export async function suspendMember(app: TestApp, client: SignedInClient): Promise<void> {
  const principal = await app.app.get(SessionsService).resolve(client.token);
  if (principal === null) throw new Error('suspendMember: the client is not signed in');
  const seal = await app.app.get(AuthorSealService).sealFor(principal.accountId);
  await app.app.get(SanctionsService).applyToAuthor(seal, {
    kind: SanctionKind.SUSPENSION,
    days: 3,
    reasonCode: 'HARASSMENT',
  });
}
