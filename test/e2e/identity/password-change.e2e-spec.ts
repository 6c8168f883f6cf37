import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccountEntity } from '../../../src/identity/accounts/account.entity';
import { IdentityRestamp } from '../../../src/identity/restamp/identity-restamp';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { storeTable } from '../../../src/infrastructure/database/migrations/store-table';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { onPostgres } from '../../utils/test-env';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { SmtpPeer } from '../../utils/smtp-peer';
import type { GraphqlResponse, TestApp } from '../../utils/test-app';

const VIEWER = '{ viewer { roles } }';
const CHANGE =
  'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const RESET =
  'mutation ($e: String!, $c: String!, $n: String!) { resetPassword(email: $e, code: $c, newPassword: $n) { token expiresAt viewer { roles } } }';
const SIGN_IN = 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';

/**
 * changePassword (signed in, with the current password) and resetPassword (with a code mailed
 * by requestEmailCode) over HTTP, with the real SMTP peer. A reset for an address without an
 * account answers exactly as a wrong code does, in comparable time.
 */
describe('Changing and resetting a password over HTTP', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let smtp: SmtpPeer;

  const errorOf = (res: GraphqlResponse<unknown>) => {
    const error = res.errors?.[0];
    return { message: error?.message, extensions: error?.extensions, data: res.data };
  };
  const as = (token: string) => (query: string, variables?: Record<string, unknown>) =>
    sut.gql(query, variables, { authorization: `Bearer ${token}` });
  const signIn = (email: string, password: string) =>
    sut.gql<{ signIn: { token: string } }>(SIGN_IN, { e: email, p: password });
  /** A second session of the member's account. */
  const secondSession = async (member: SignedInClient): Promise<string> => {
    const res = await signIn(member.email, member.password);
    expect(res.errors).toBeUndefined();
    return res.data!.signIn.token;
  };
  /** A code for `email`, requested signed out (or signed in as `client`). */
  const codeFor = (email: string, client?: SignedInClient): Promise<string> =>
    smtp.captureCode(email, () =>
      (client ?? sut).gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email }),
    );
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
  /** From another client address than the sign-ups' (whose codes counted as tries there). */
  const reset = (
    email: string,
    code: string,
    newPassword = 'a brand new secret',
    from = '10.7.0.1',
  ) =>
    sut.gql<{ resetPassword: { token: string; expiresAt: string; viewer: { roles: string[] } } }>(
      RESET,
      { e: email, c: code, n: newPassword },
      { 'x-forwarded-for': from },
    );

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      TRUST_PROXY: 'loopback',
      // Many sign-ups and resets from one address within a minute.
      AUTH_RATE_LIMIT_MAX: '1000',
      EMAIL_CODES_PER_IP_PER_HOUR: '1000',
    });
    ({ app: sut, smtp } = env);
  });
  afterAll(async () => env.close());

  it('changes the password after checking the current one, ending every other session', async () => {
    const member = await signUpMember(sut, smtp, { password: 'the first secret' });
    const other = await secondSession(member);

    const wrong = await member.gql(CHANGE, { c: 'not the password', n: 'the second secret' });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['currentPassword'],
    });
    const weak = await member.gql(CHANGE, { c: 'the first secret', n: 'short' });
    expect(weak.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['newPassword'],
    });
    expect(weak.errors?.[0]?.message).toBe('Passwords must be 10 to 128 characters long.');
    // Neither refusal changed anything: the other session and the old password still work.
    expect((await as(other)(VIEWER)).data).toEqual({ viewer: { roles: ['MEMBER'] } });
    const third = await secondSession(member);

    const res = await member.gql(CHANGE, { c: 'the first secret', n: 'the second secret' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ changePassword: true });
    // This session stays; every other one ends at once.
    expect((await member.gql(VIEWER)).data).toEqual({ viewer: { roles: ['MEMBER'] } });
    for (const token of [other, third]) {
      expect((await as(token)(VIEWER)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(errorOf(await signIn(member.email, 'the first secret'))).toMatchObject({
      message: 'Email or password is incorrect.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await signIn(member.email, 'the second secret')).errors).toBeUndefined();
  });

  it('refuses visitors', async () => {
    const res = await sut.gql(CHANGE, { c: 'the first secret', n: 'the second secret' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resets the password with a mailed code: every session ends and a new one is returned', async () => {
    const member = await signUpMember(sut, smtp, { password: 'forgotten secret' });
    const other = await secondSession(member);
    const code = await codeFor(member.email);

    // A weak password is refused before the code is looked at: the code stays usable.
    const weak = await reset(member.email, code, 'short');
    expect(weak.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['newPassword'],
    });
    const wrong = await reset(member.email, wrongFor(code));
    expect(errorOf(wrong)).toEqual({
      message: 'That code is wrong or has expired. 4 attempts left.',
      extensions: { code: 'BAD_USER_INPUT', fields: ['code'], attemptsLeft: 4 },
      data: null,
    });

    const res = await reset(` ${member.email.toUpperCase()} `, code);
    expect(res.errors).toBeUndefined();
    expect(res.data?.resetPassword.viewer).toEqual({ roles: ['MEMBER'] });
    expect(new Date(res.data!.resetPassword.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const fresh = res.data!.resetPassword.token;
    expect((await as(fresh)(VIEWER)).data).toEqual({ viewer: { roles: ['MEMBER'] } });
    for (const token of [member.token, other]) {
      expect((await as(token)(VIEWER)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await signIn(member.email, 'forgotten secret')).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await signIn(member.email, 'a brand new secret')).errors).toBeUndefined();

    // Single use: the same code again is a wrong code, and changes nothing.
    const again = await reset(member.email, code, 'yet another secret');
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['code'],
    });
    expect((await as(fresh)(VIEWER)).data).toEqual({ viewer: { roles: ['MEMBER'] } });
    expect((await signIn(member.email, 'a brand new secret')).errors).toBeUndefined();
  });

  it('answers an address without an account exactly as a wrong code, even with the right code, in comparable time', async () => {
    const member = await signUpMember(sut, smtp);
    const ghost = `ghost.${Date.now()}@example.org`;
    const memberCode = await codeFor(member.email);
    const ghostCode = await codeFor(ghost);
    const time = async (email: string, code: string) => {
      const started = process.hrtime.bigint();
      const res = await reset(email, code, undefined, '10.7.0.2');
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, error: errorOf(res) };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Four wrong tries on each: the answers are the same, step by step.
    for (let i = 0; i < 4; i++) {
      const a = await time(member.email, wrongFor(memberCode));
      // The right code for the address without an account is no different from a wrong one.
      const b = await time(ghost, i % 2 === 0 ? ghostCode : wrongFor(ghostCode));
      expect(b.error).toEqual(a.error);
      expect(a.error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', attemptsLeft: 4 - i });
      known.push(a.ms);
      unknown.push(b.ms);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    // No path before the answer hashes a password; a lookup that answered early for unknown
    // addresses, or an argon2 run on one side only, would show here.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(
      Math.max(25, median(known) * 0.6),
    );
    // The code of the address without an account was not used up: it still signs up.
    const signUp = await sut.gql(
      'mutation ($e: String!, $c: String!) { signUp(email: $e, code: $c, password: "long password here", jurisdiction: "US") { token } }',
      { e: ghost, c: ghostCode },
    );
    expect(signUp.errors).toBeUndefined();
  });

  it('does not take a code requested signed in (those belong to verifyEmployer)', async () => {
    const member = await signUpMember(sut, smtp);
    const code = await codeFor(member.email, member);
    const res = await reset(member.email, code);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['code'] });
    expect((await member.gql(VIEWER)).data).toEqual({ viewer: { roles: ['MEMBER'] } });
  });

  it('keeps only the day of a change, and re-stamps the changed account with the day’s rows (PostgreSQL)', async () => {
    const member = await signUpMember(sut, smtp, { password: 'the first secret' });
    const identity = sut.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    const table = storeTable(identity, 'accounts');
    const principal = await sut.app.get(SessionsService).resolve(member.token);
    const accountId = principal!.accountId;
    const restamp = sut.app.get(IdentityRestamp);
    // An account of an earlier day, already re-stamped: nothing of it is recent any more.
    await identity
      .getRepository(AccountEntity)
      .update({ id: accountId }, { createdAt: new Date(Date.UTC(2020, 0, 1)) });
    await restamp.run();
    const xmin = async () =>
      (
        await identity.query<Array<{ x: string }>>(
          `SELECT xmin::text AS x FROM ${table} WHERE id = $1`,
          [accountId],
        )
      )[0]?.x;
    const before = onPostgres() ? await xmin() : undefined;

    expect(
      (await member.gql(CHANGE, { c: 'the first secret', n: 'the second secret' })).errors,
    ).toBeUndefined();
    const row = await identity.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
    expect(row.passwordChangedAt!.getTime() % 86_400_000).toBe(0);
    expect(Date.now() - row.passwordChangedAt!.getTime()).toBeLessThan(86_400_000);
    if (!onPostgres()) return;
    const changed = await xmin();
    expect(changed).not.toBe(before);
    // The change's own transaction id is gone: the row shares the day's re-stamp.
    expect((await restamp.run()).rows).toHaveProperty([table]);
    const ids = await identity.query<Array<{ x: string }>>(
      `SELECT DISTINCT xmin::text AS x FROM ${table} WHERE created_at >= $1 OR password_changed_at >= $1`,
      [Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000],
    );
    expect(ids).toHaveLength(1);
    expect(await xmin()).not.toBe(changed);
  });

  it('refuses a malformed address clearly, as sign-up does', async () => {
    const res = await reset('not an address', '123456');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
