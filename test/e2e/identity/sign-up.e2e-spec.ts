import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { SmtpPeer } from '../../utils/smtp-peer';
import type { TestApp } from '../../utils/test-app';

const VIEWER =
  '{ viewer { roles jurisdiction createdAt memberships { status verifiedAt expiresAt company { slug name industry sizeBand } } } }';
const CREATE_COMPANY = `mutation ($name: String!, $slug: String!, $domains: [String!]!) {
  createCompany(name: $name, slug: $slug, domains: $domains, industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id slug domains }
}`;

describe('Sign-up, sign-in, employer verification and sign-out over HTTP', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let smtp: SmtpPeer;
  let admin: SignedInClient;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Acme Corp', slug: 'acme' });
    ({ app: sut, smtp, admin } = env);
  });
  afterAll(async () => env.close());

  it('takes a member from sign-up to a verified employer and back out', async () => {
    const email = 'ada@example.net';
    const member = await signUpMember(sut, smtp, {
      email,
      password: 'a long enough secret',
      jurisdiction: 'de',
    });

    const me = await member.gql<{
      viewer: { roles: string[]; jurisdiction: string; memberships: unknown[] };
    }>(VIEWER);
    expect(me.data?.viewer).toMatchObject({
      roles: ['MEMBER'],
      jurisdiction: 'DE',
      memberships: [],
    });

    const signIn = await sut.gql<{ signIn: { token: string; viewer: { roles: string[] } } }>(
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token expiresAt viewer { roles } } }',
      { e: 'ADA@example.net ', p: 'a long enough secret' },
    );
    expect(signIn.errors).toBeUndefined();
    const token = signIn.data!.signIn.token;
    expect(token).not.toBe(member.token);
    const signedIn = (query: string) =>
      sut.gql(query, undefined, { authorization: `Bearer ${token}` });

    const verified = await verifyEmployer(sut, smtp, member, 'ada.lovelace@acme.example');
    expect(verified.errors).toBeUndefined();
    expect(verified.data?.verifyEmployer).toMatchObject({
      status: 'CURRENT',
      company: { slug: 'acme' },
    });

    const after = await signedIn(VIEWER);
    const memberships = (after.data as { viewer: { memberships: Array<Record<string, unknown>> } })
      .viewer.memberships;
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({
      status: 'CURRENT',
      company: { slug: 'acme', name: 'Acme Corp' },
    });
    const expires = new Date(memberships[0].expiresAt as string).getTime();
    expect(expires - Date.now()).toBeGreaterThan(364 * 86_400_000);

    const out = await signedIn('mutation { signOut }');
    expect(out.data).toEqual({ signOut: true });
    const refused = await signedIn(VIEWER);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The other session still works: sign-out ends one session only.
    expect((await member.gql(VIEWER)).errors).toBeUndefined();
  });

  it('answers requestEmailCode identically for known and unknown addresses', async () => {
    const known = await signUpMember(sut, smtp);
    const a = await sut.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', {
      e: known.email,
    });
    const b = await sut.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', {
      e: 'nobody.here@example.org',
    });
    expect(a.status).toBe(b.status);
    expect(a.data).toEqual(b.data);
    expect(a.errors).toEqual(b.errors);
  });

  it('refuses a second account for the same address', async () => {
    const first = await signUpMember(sut, smtp);
    const code = await smtp.captureCode(first.email, () =>
      sut.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: first.email }),
    );
    const res = await sut.gql(
      'mutation ($e: String!, $c: String!) { signUp(email: $e, code: $c, password: "another password", jurisdiction: "US") { token } }',
      { e: first.email, c: code },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses a free-mail or disposable work address with BAD_USER_INPUT, keeping the code', async () => {
    const member = await signUpMember(sut, smtp);
    for (const email of ['someone@gmail.com', 'someone@qq.com', 'someone@mailinator.com']) {
      const res = await member.gql(
        'mutation ($e: String!) { verifyEmployer(email: $e, code: "123456") { status } }',
        { e: email },
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.reason).toMatch(/^(FREE_MAIL|DISPOSABLE_MAIL)_DOMAIN$/);
    }
  });

  it('records an unknown work domain for admins instead of verifying', async () => {
    const member = await signUpMember(sut, smtp);
    const code = await smtp.captureCode('grace@unknown-co.example', () =>
      member.gql('mutation { requestEmailCode(email: "grace@unknown-co.example") }'),
    );
    const res = await member.gql(
      `mutation { verifyEmployer(email: "grace@unknown-co.example", code: "${code}") { status } }`,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_COMPANY_DOMAIN',
    });
    const requests = await admin.gql<{
      companyRequests: Array<{ domain: string; attempts: number }>;
    }>('{ companyRequests { domain attempts firstSeenAt lastSeenAt } }');
    expect(requests.data?.companyRequests).toEqual([
      expect.objectContaining({ domain: 'unknown-co.example', attempts: 1 }),
    ]);
    expect((await member.gql('{ companyRequests { domain } }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    // Adding the domain to a company clears its request.
    await admin.gql(
      'mutation { createCompany(name: "Unknown Co", slug: "unknown-co", domains: ["unknown-co.example"], industry: "Retail", sizeBand: "11–50", jurisdiction: "US") { id } }',
    );
    expect(
      (await admin.gql<{ companyRequests: unknown[] }>('{ companyRequests { domain } }')).data
        ?.companyRequests,
    ).toEqual([]);
  });

  it('lets one work address verify only one account: the latest to prove the mailbox', async () => {
    const first = await signUpMember(sut, smtp);
    const second = await signUpMember(sut, smtp);
    const memberships = async (client: SignedInClient) =>
      (
        await client.gql<{ viewer: { memberships: unknown[] } }>(
          '{ viewer { memberships { status } } }',
        )
      ).data?.viewer.memberships;
    expect((await verifyEmployer(sut, smtp, first, 'shared@acme.example')).errors).toBeUndefined();
    expect((await verifyEmployer(sut, smtp, second, 'shared@acme.example')).errors).toBeUndefined();
    expect(await memberships(first)).toEqual([]);
    expect(await memberships(second)).toEqual([{ status: 'CURRENT' }]);
  });

  it('refuses companies with free-mail domains', async () => {
    const res = await admin.gql(CREATE_COMPANY, {
      name: 'Gmail Fans',
      slug: 'gmail-fans',
      domains: ['gmail.com'],
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'FREE_MAIL_DOMAIN',
    });
  });

  it('lists companies to anyone, searchable', async () => {
    const res = await sut.gql<{ companies: Array<{ slug: string; domains: string[] }> }>(
      '{ companies(search: "ACME") { slug domains } }',
    );
    expect(res.data?.companies).toEqual([{ slug: 'acme', domains: ['acme.example'] }]);
  });

  it('refuses a company search longer than any name, clearly', async () => {
    const res = await sut.gql('query ($s: String!) { companies(search: $s) { slug } }', {
      s: 'a%'.repeat(30_000),
    });
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['search'],
    });
  });

  it('deletes an account: its sessions stop and its address can sign up afresh', async () => {
    const member = await signUpMember(sut, smtp);
    const wrong = await member.gql('mutation { deleteAccount(password: "not the password") }');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const res = await member.gql(`mutation { deleteAccount(password: "${member.password}") }`);
    expect(res.data).toEqual({ deleteAccount: true });
    expect((await member.gql(VIEWER)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signIn = await sut.gql(
      `mutation { signIn(email: "${member.email}", password: "${member.password}") { token } }`,
    );
    expect(signIn.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expect(signUpMember(sut, smtp, { email: member.email })).resolves.toHaveProperty('token');
  });

  it('changes the viewer jurisdiction', async () => {
    const member = await signUpMember(sut, smtp);
    const res = await member.gql<{ setJurisdiction: { jurisdiction: string } }>(
      'mutation { setJurisdiction(code: "cn") { jurisdiction } }',
    );
    expect(res.data?.setJurisdiction.jurisdiction).toBe('CN');
    const bad = await member.gql(
      'mutation { setJurisdiction(code: "not a code") { jurisdiction } }',
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers viewer with null for visitors, and refuses an unknown token', async () => {
    expect((await sut.gql(VIEWER)).data).toEqual({ viewer: null });
    const res = await sut.gql(VIEWER, undefined, {
      authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
