import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { STORES } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { SmtpPeer } from '../../utils/smtp-peer';
import type { TestApp } from '../../utils/test-app';
import { dumpStore } from '../../utils/store-dump';

describe('Identity guarantees', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let smtp: SmtpPeer;
  let admin: SignedInClient;

  beforeAll(async () => {
    env = await createIdentityTestApp(
      { name: 'Initech', slug: 'initech' },
      'root.admin@example.org',
    );
    ({ app: sut, smtp, admin } = env);
  });
  afterAll(async () => env.close());

  it('keeps no email address, local part or password in any table of either store', async () => {
    const member = await signUpMember(sut, smtp, {
      email: 'Milton.Waddams@Example.COM',
      password: 'red stapler forever',
    });
    expect(
      (await verifyEmployer(sut, smtp, member, 'milton.w@initech.example')).errors,
    ).toBeUndefined();
    for (const store of STORES) {
      const dump = await dumpStore(sut.app.get<DataSource>(getDataSourceToken(store)));
      expect(dump.length).toBeGreaterThan(0);
      for (const secret of [
        'milton.waddams',
        'milton.w@',
        'example.com',
        'root.admin',
        'red stapler',
      ]) {
        expect(dump).not.toContain(secret);
      }
    }
  });

  it('kills a code after five wrong attempts, even for the right code afterwards', async () => {
    const email = 'five.tries@example.org';
    const code = await smtp.captureCode(email, () =>
      sut.gql(`mutation { requestEmailCode(email: "${email}") }`),
    );
    const wrong = code === '000000' ? '111111' : '000000';
    const signUp = (c: string) =>
      sut.gql(
        `mutation { signUp(email: "${email}", code: "${c}", password: "long password here", jurisdiction: "US") { token } }`,
      );
    const left: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signUp(wrong);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      left.push(res.errors?.[0]?.extensions?.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const res = await signUp(code);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', attemptsLeft: 0 });
    expect(res.data).toBeNull();
  });

  it('uses a code once', async () => {
    const email = 'single.use@example.org';
    const code = await smtp.captureCode(email, () =>
      sut.gql(`mutation { requestEmailCode(email: "${email}") }`),
    );
    const signUp = () =>
      sut.gql(
        `mutation { signUp(email: "${email}", code: "${code}", password: "long password here", jurisdiction: "US") { token } }`,
      );
    expect((await signUp()).errors).toBeUndefined();
    expect((await signUp()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives the same error, in comparable time, for an unknown address and a wrong password', async () => {
    const member = await signUpMember(sut, smtp);
    const time = async (email: string): Promise<{ ms: number; error: unknown }> => {
      const started = process.hrtime.bigint();
      const res = await sut.gql(
        `mutation { signIn(email: "${email}", password: "definitely wrong") { token } }`,
      );
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, error: res.errors?.[0] };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await time(`ghost${i}@example.org`);
      const b = await time(member.email);
      expect(a.error).toEqual(b.error);
      expect(b.error).toMatchObject({
        message: 'Email or password is incorrect.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const ratio = median(unknown) / median(wrong);
    // Both pay one argon2id verification (~tens of ms); a missing dummy hash would make the
    // unknown case several times faster.
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });

  it('lets only admins grant roles and manage companies', async () => {
    const member = await signUpMember(sut, smtp);
    const operations = [
      `mutation { grantRole(email: "${member.email}", role: MODERATOR) }`,
      `mutation { revokeRole(email: "${member.email}", role: MODERATOR) }`,
      'mutation { createCompany(name: "X", slug: "x-co", domains: ["x-co.example"], industry: "Retail", sizeBand: "1–10", jurisdiction: "US") { id } }',
      'mutation { addCompanyDomain(companyId: "00000000-0000-0000-0000-000000000000", domain: "y.example") { id } }',
    ];
    for (const op of operations) {
      expect((await sut.gql(op)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await member.gql(op)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await admin.gql(operations[0])).data).toEqual({ grantRole: true });
    const viewer = await member.gql<{ viewer: { roles: string[]; staffHandle: string } }>(
      '{ viewer { roles staffHandle } }',
    );
    expect(viewer.data?.viewer.roles).toEqual(['MEMBER', 'MODERATOR']);
    expect(viewer.data?.viewer.staffHandle).toMatch(/^Staff [A-Z][a-z]+ [A-Z][a-z]+ \d{4}$/);
    // A moderator is still not an admin.
    expect((await member.gql(operations[2])).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await admin.gql(operations[1])).data).toEqual({ revokeRole: true });
    expect(
      (await admin.gql(`mutation { revokeRole(email: "${admin.email}", role: ADMIN) }`)).errors?.[0]
        ?.extensions?.code,
    ).toBe('CONFLICT');
  });

  it('rate-limits codes per address', async () => {
    const email = 'spammed@example.org';
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(await sut.gql(`mutation { requestEmailCode(email: "${email}") }`));
    expect(results.slice(0, 5).every((r) => r.data?.requestEmailCode === true)).toBe(true);
    expect(results[5]?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
