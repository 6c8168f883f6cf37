/**
 * A forum server for a benchmark, set up through the public API and the CLI only, as an
 * operator and its first users would: a staff account made admin (and compliance officer)
 * with `cli grant-role`, a company with a domain, a public US board, and verified members
 * (codes read from a real SMTP peer in the benchmark process).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/common/project-root';
import { freePort, GraphqlClient, startServer } from './bench-http';
import type { SmtpPeer } from './smtp-peer';

const run = promisify(execFile);
const PASSWORD = 'correct horse battery';

/** Runs `requestEmailCode(email)` through `client` and returns the code mailed to `smtp`. */
function emailCode(smtp: SmtpPeer, client: GraphqlClient, email: string): Promise<string> {
  return smtp.captureCode(email, () =>
    client.data('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email }),
  );
}

/** Signs a new account up through `anonymous` (codes read from `smtp`); returns its token. */
export async function signUpAccount(
  anonymous: GraphqlClient,
  smtp: SmtpPeer,
  email: string,
  jurisdiction: string,
): Promise<string> {
  const data = await anonymous.data<{ signUp: { token: string } }>(
    'mutation ($e: String!, $c: String!, $p: String!, $j: String!) { signUp(email: $e, code: $c, password: $p, jurisdiction: $j) { token } }',
    { e: email, c: await emailCode(smtp, anonymous, email), p: PASSWORD, j: jurisdiction },
  );
  return data.signUp.token;
}

/**
 * Signs `email` up through `anonymous`, grants it ADMIN and COMPLIANCE_OFFICER with the CLI on
 * the server's `env` (its stores), and signs it in again (roles are read at sign-in); returns
 * its token.
 */
export async function signUpStaff(
  anonymous: GraphqlClient,
  smtp: SmtpPeer,
  env: Record<string, string>,
  email: string,
): Promise<string> {
  await signUpAccount(anonymous, smtp, email, 'US');
  for (const role of ['ADMIN', 'COMPLIANCE_OFFICER']) {
    await run(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'src', 'cli.js'), 'grant-role', '--email', email, '--role', role],
      { env: { PATH: process.env.PATH ?? '', ...env } },
    );
  }
  const signIn = await anonymous.data<{ signIn: { token: string } }>(
    'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
    { e: email, p: PASSWORD },
  );
  return signIn.signIn.token;
}

/** Verifies the signed-in `client` at the company of `workEmail`'s domain (code read from `smtp`). */
export async function verifyEmployer(
  client: GraphqlClient,
  smtp: SmtpPeer,
  workEmail: string,
): Promise<void> {
  await client.data(
    'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status } }',
    { e: workEmail, c: await emailCode(smtp, client, workEmail) },
  );
}

export interface BenchForum {
  server: ChildProcess;
  url: string;
  env: Record<string, string>;
  /** Admin and compliance officer. */
  staff: GraphqlClient;
  boardId: string;
  /** Every client made, to close at the end. */
  clients: GraphqlClient[];
  /** A new member verified at the company, jurisdiction US unless told. */
  member(name: string, jurisdiction?: string): Promise<GraphqlClient>;
  /** The same, as the member's session token (for clients of other instances on the same stores). */
  memberToken(name: string, jurisdiction?: string): Promise<string>;
}

/**
 * Starts `dist/src/main.js` on `dataDir` (SQLite) with `extraEnv` and sets the forum up.
 * Rate limits are lifted (the load is the point); four-eyes is off (one officer).
 */
export async function startBenchForum(
  dataDir: string,
  smtp: SmtpPeer,
  extraEnv: Record<string, string> = {},
): Promise<BenchForum> {
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    APP_SECRET: 'bench-secret-' + 'c7'.repeat(16),
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    AUTH_RATE_LIMIT_MAX: '100000',
    EMAIL_CODES_PER_IP_PER_HOUR: '100000',
    POST_RATE_LIMIT_MAX: '100000000',
    VOTE_RATE_LIMIT_MAX: '100000000',
    REPORT_RATE_LIMIT_MAX: '100000000',
    COMPLIANCE_FOUR_EYES: 'false',
    ...extraEnv,
  };
  const server = await startServer(env);
  const url = `http://127.0.0.1:${port}/graphql`;
  const anonymous = new GraphqlClient(url);
  const clients = [anonymous];
  const as = (token: string) => {
    const client = new GraphqlClient(url, { authorization: `Bearer ${token}` });
    clients.push(client);
    return client;
  };
  const signUp = (email: string, jurisdiction: string) =>
    signUpAccount(anonymous, smtp, email, jurisdiction);
  const staff = as(await signUpStaff(anonymous, smtp, env, `staff.${port}@example.org`));
  await staff.data(
    'mutation { createCompany(name: "Bench Corp", slug: "bench", domains: ["bench.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
  );
  const board = await staff.data<{ createBoard: { id: string } }>(
    'mutation { createBoard(slug: "general", name: "General", jurisdiction: "US") { id } }',
  );
  const signUpMember = async (name: string, jurisdiction = 'US') => {
    const token = await signUp(`${name}.${port}@example.org`, jurisdiction);
    const client = as(token);
    await verifyEmployer(client, smtp, `${name}.${port}@bench.example`);
    return { token, client };
  };
  return {
    server,
    url,
    env,
    staff,
    boardId: board.createBoard.id,
    clients,
    member: async (name, jurisdiction) => (await signUpMember(name, jurisdiction)).client,
    memberToken: async (name, jurisdiction) => (await signUpMember(name, jurisdiction)).token,
  };
}
