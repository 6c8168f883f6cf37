import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';
import type { SmtpPeer } from '../../utils/smtp-peer';
import type { TestApp } from '../../utils/test-app';

/**
 * A wrong code says nothing about other people's codes, and nobody can spend another
 * person's tries: the answer comes from the caller's own budget. Verifying an address that
 * already verified somebody else answers exactly as for a fresh one, so whoever reads the
 * mailbox (the employer, who controls the work domain) cannot ask whether an employee is a
 * member.
 */
describe('Email codes and employer verification give no oracle', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let smtp: SmtpPeer;

  const VERIFY =
    'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status company { slug } } }';
  const SIGN_UP =
    'mutation ($e: String!, $c: String!) { signUp(email: $e, code: $c, password: "long password here", jurisdiction: "US") { token } }';
  const errorOf = (res: GraphqlResponse<unknown>) => {
    const error = res.errors?.[0];
    return { message: error?.message, extensions: error?.extensions, data: res.data };
  };
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      TRUST_PROXY: 'loopback',
    });
    ({ app: sut, smtp } = env);
  });
  afterAll(async () => env.close());

  it("answers a stranger's wrong code for verifyEmployer the same whether or not the owner asked for one, and leaves the owner's code alone", async () => {
    const owner = await signUpMember(sut, smtp);
    const stranger = await signUpMember(sut, smtp);
    const live = 'owner.live@initech.example';
    const idle = 'nobody.asked@initech.example';
    const code = await smtp.captureCode(live, () =>
      owner.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: live }),
    );
    const wrong = wrongFor(code);
    for (let i = 0; i < 6; i++) {
      const atLive = errorOf(await stranger.gql(VERIFY, { e: live, c: wrong }));
      const atIdle = errorOf(await stranger.gql(VERIFY, { e: idle, c: wrong }));
      expect(atLive.extensions?.code).toBe('BAD_USER_INPUT');
      expect(atLive).toEqual(atIdle);
    }
    // Even the right code is no use to someone who did not request it.
    expect(errorOf(await stranger.gql(VERIFY, { e: live, c: code }))).toEqual(
      errorOf(await stranger.gql(VERIFY, { e: idle, c: code })),
    );
    // Six tries later, the owner still has all five of theirs and the code works.
    const first = await owner.gql(VERIFY, { e: live, c: wrong });
    expect(first.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      attemptsLeft: 4,
    });
    const res = await owner.gql(VERIFY, { e: live, c: code });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      verifyEmployer: { status: 'CURRENT', company: { slug: 'initech' } },
    });
  });

  it('counts wrong sign-up codes per client address, the same with or without a live code, never spending the owner’s tries', async () => {
    const live = 'signing.up@example.org';
    const idle = 'not.signing.up@example.org';
    const fromOwner = { 'x-forwarded-for': '10.9.0.1' };
    const fromStranger = { 'x-forwarded-for': '10.9.0.2' };
    const code = await smtp.captureCode(live, () =>
      sut.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: live }, fromOwner),
    );
    const wrong = wrongFor(code);
    const left: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const atLive = errorOf(await sut.gql(SIGN_UP, { e: live, c: wrong }, fromStranger));
      const atIdle = errorOf(await sut.gql(SIGN_UP, { e: idle, c: wrong }, fromStranger));
      expect(atLive.extensions?.code).toBe('BAD_USER_INPUT');
      expect(atLive).toEqual(atIdle);
      left.push(atLive.extensions?.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0, 0]);
    const res = await sut.gql<{ signUp: { token: string } }>(
      SIGN_UP,
      { e: live, c: code },
      fromOwner,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.signUp.token).toEqual(expect.any(String));
  });

  it('verifies an address already verified by another account exactly as a fresh one, mail included; the earlier holder is told inside the forum', async () => {
    const employee = await signUpMember(sut, smtp);
    const taken = 'employee@initech.example';
    expect((await verifyEmployer(sut, smtp, employee, taken)).errors).toBeUndefined();

    const employer = await signUpMember(sut, smtp);
    const fresh = 'never.verified@initech.example';
    const mailsBefore = smtp.received.length;
    const atTaken = await verifyEmployer(sut, smtp, employer, taken);
    const atFresh = await verifyEmployer(sut, smtp, employer, fresh);
    expect(atTaken.errors).toBeUndefined();
    expect(atFresh.errors).toBeUndefined();
    expect(atTaken.data).toEqual(atFresh.data);
    // The two mails differ only in their code (and their envelope's own headers).
    const bodies = smtp.received
      .slice(mailsBefore)
      .map((mail) => /\r?\n\r?\n([\s\S]*)$/.exec(mail.raw)?.[1]?.replace(/\d{6}/g, 'CODE'));
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toEqual(bodies[1]);

    // One address, one account: the membership moved, and its earlier holder learns it.
    const memberships = (client: SignedInClient) =>
      client.gql<{ viewer: { memberships: unknown[] } }>('{ viewer { memberships { status } } }');
    expect((await memberships(employee)).data?.viewer.memberships).toEqual([]);
    const notices = await employee.gql<{ notifications: Array<{ kind: string; message: string }> }>(
      '{ notifications { kind message } }',
    );
    expect(notices.data?.notifications).toEqual([
      expect.objectContaining({
        kind: 'MEMBERSHIP_MOVED',
        message: expect.stringContaining('Initech'),
      }),
    ]);
  });
});
