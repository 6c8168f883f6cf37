import type { SmtpPeer } from './smtp-peer';
import type { GraphqlResponse, TestApp } from './test-app';

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

/** Verifies `client` as an employee through requestEmailCode → SMTP → verifyEmployer. */
export async function verifyEmployer(
  app: TestApp,
  smtp: SmtpPeer,
  client: SignedInClient,
  workEmail: string,
) {
  const code = await smtp.captureCode(workEmail, () =>
    app.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: workEmail }),
  );
  return client.gql<{ verifyEmployer: { status: string; company: { slug: string } } }>(
    'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status expiresAt company { slug name } } }',
    { e: workEmail, c: code },
  );
}
