import { Role } from '../../../src/infrastructure/auth/role';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';

const VIEWER = '{ viewer { jurisdiction roles } }';
const STAFF_ONLY = '{ reviewQueue(first: 1) { edges { node { id } } } }';
const SIGN_IN = `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`;

const codeOf = (res: GraphqlResponse<unknown>): unknown =>
  res.errors?.[0]?.extensions?.code ?? 'OK';

/**
 * A session's principal is reused for a few seconds once checked (docs/performance.md,
 * issue 25). Whatever changes it must still show on the very next request: each case below
 * asks twice first, so that the second answer comes from the reused principal.
 */
describe('Changes to a session take effect on the next request', () => {
  let env: IdentityTestApp;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Hooli', slug: 'hooli' });
  });
  afterAll(async () => env.close());

  const warm = async (client: SignedInClient): Promise<void> => {
    expect(codeOf(await client.gql(VIEWER))).toBe('OK');
    expect(codeOf(await client.gql(VIEWER))).toBe('OK');
  };

  const signIn = async (member: SignedInClient): Promise<SignedInClient> => {
    const res = await env.app.gql<{ signIn: { token: string } }>(SIGN_IN, {
      e: member.email,
      p: member.password,
    });
    const token = res.data?.signIn.token;
    if (token === undefined) throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`);
    return {
      ...member,
      token,
      gql: (query, variables) =>
        env.app.gql(query, variables, { authorization: `Bearer ${token}` }),
    };
  };

  it('refuses a signed-out session at once, and keeps the account’s other sessions', async () => {
    const member = await signUpMember(env.app, env.smtp);
    const other = await signIn(member);
    await warm(member);
    await warm(other);
    expect(codeOf(await member.gql('mutation { signOut }'))).toBe('OK');
    expect(codeOf(await member.gql(VIEWER))).toBe('UNAUTHENTICATED');
    expect(codeOf(await other.gql(VIEWER))).toBe('OK');
  });

  it('ends the other sessions at once on a password change', async () => {
    const member = await signUpMember(env.app, env.smtp);
    const other = await signIn(member);
    await warm(member);
    await warm(other);
    const changed = await member.gql(
      'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
      { c: member.password, n: 'a brand new passphrase' },
    );
    expect(codeOf(changed)).toBe('OK');
    expect(codeOf(await other.gql(VIEWER))).toBe('UNAUTHENTICATED');
    expect(codeOf(await member.gql(VIEWER))).toBe('OK');
  });

  it('applies a role granted or revoked on the next request', async () => {
    const member = await signUpMember(env.app, env.smtp);
    await warm(member);
    expect(codeOf(await member.gql(STAFF_ONLY))).toBe('FORBIDDEN');
    const grant = 'mutation ($e: String!, $r: Role!) { grantRole(email: $e, role: $r) }';
    expect(codeOf(await env.admin.gql(grant, { e: member.email, r: Role.MODERATOR }))).toBe('OK');
    expect(codeOf(await member.gql(STAFF_ONLY))).toBe('OK');
    expect(codeOf(await member.gql(STAFF_ONLY))).toBe('OK');
    const revoke = 'mutation ($e: String!, $r: Role!) { revokeRole(email: $e, role: $r) }';
    expect(codeOf(await env.admin.gql(revoke, { e: member.email, r: Role.MODERATOR }))).toBe('OK');
    expect(codeOf(await member.gql(STAFF_ONLY))).toBe('FORBIDDEN');
  });

  it('refuses a deleted account’s session at once', async () => {
    const member = await signUpMember(env.app, env.smtp);
    await warm(member);
    const deleted = await member.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
      p: member.password,
    });
    expect(codeOf(deleted)).toBe('OK');
    expect(codeOf(await member.gql(VIEWER))).toBe('UNAUTHENTICATED');
  });
});
