import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BanEntryEntity } from '../../../src/identity/ban-list/ban-entry.entity';
import { parseEmail } from '../../../src/identity/email/email-address';
import { EmailIndexService } from '../../../src/identity/email/email-index.service';
import { SanctionKind } from '../../../src/identity/moderation/sanction-kind';
import { SanctionsService } from '../../../src/identity/moderation/sanctions.service';
import { AuthorSealService } from '../../../src/identity/sealing/author-seal.service';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  SIGN_UP,
  signUpMember,
  suspendMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { onPostgres } from '../../utils/test-env';

const DAY_MS = 86_400_000;

/**
 * Deleting a banned (or suspended) account and signing up again with the same address used
 * to wipe the sanction. The addresses now stay on a keyed ban list until the sanction ends.
 */
describe('Ban list', () => {
  let env: IdentityTestApp;

  const identity = () => env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
  const entries = () => identity().getRepository(BanEntryEntity).find();
  const ban = async (client: SignedInClient) => {
    const principal = await env.app.app.get(SessionsService).resolve(client.token);
    const seal = await env.app.app.get(AuthorSealService).sealFor(principal!.accountId);
    await env.app.app
      .get(SanctionsService)
      .applyToAuthor(seal, { kind: SanctionKind.BAN, days: null, reasonCode: 'HARASSMENT' });
  };
  const deleteAccount = async (client: SignedInClient) =>
    expect(
      (
        await client.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
          p: client.password,
        })
      ).data,
    ).toEqual({ deleteAccount: true });
  const signUpAgain = async (email: string) => {
    const code = await env.smtp.captureCode(email, () =>
      env.app.gql('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email }),
    );
    return env.app.gql(SIGN_UP, {
      email,
      code,
      password: 'a new long password',
      jurisdiction: 'US',
    });
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' });
  });
  afterAll(async () => env.close());

  it('keeps a banned account’s sign-in and work addresses from signing up or verifying again after it deletes itself', async () => {
    const email = 'banned.person@example.org';
    const bob = await signUpMember(env.app, env.smtp, { email });
    expect(
      (await verifyEmployer(env.app, env.smtp, bob, 'bob@initech.example')).errors,
    ).toBeUndefined();
    await ban(bob);
    const started = Date.now();
    await deleteAccount(bob);

    // Only the right code gets the refusal: a wrong one answers as for any address.
    const wrong = await env.app.gql(SIGN_UP, {
      email,
      code: '000000',
      password: 'a new long password',
      jurisdiction: 'US',
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const again = await signUpAgain(email);
    expect(again.data).toBeNull();
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BANNED' });
    expect(again.errors?.[0]?.message).not.toMatch(/\d{4}-\d\d-\d\d|suspend|harass/i);

    // A fresh account cannot take the work address back, nor a variant of it.
    const other = await signUpMember(env.app, env.smtp);
    for (const work of ['bob@initech.example', 'b.ob+again@initech.example']) {
      const res = await verifyEmployer(env.app, env.smtp, other, work);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BANNED' });
    }
    expect(
      (await verifyEmployer(env.app, env.smtp, other, 'other@initech.example')).errors,
    ).toBeUndefined();

    // Two entries, keyed apart from the blind indexes, expiring at a UTC midnight a year on.
    const rows = await entries();
    expect(rows).toHaveLength(2);
    const indexes = env.app.app.get(EmailIndexService);
    const blind = [
      indexes.index(parseEmail(email)),
      indexes.workIndex(parseEmail('bob@initech.example')),
    ];
    for (const row of rows) {
      expect(blind).not.toContain(row.entry);
      expect(row.entry).toMatch(/^[0-9a-f]{64}$/);
      expect(row.expiresAt.getTime() % DAY_MS).toBe(0);
      expect(row.expiresAt.getTime()).toBeGreaterThanOrEqual(started + 365 * DAY_MS);
      expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 366 * DAY_MS);
    }
    const columns = await identity().query<Array<Record<string, unknown>>>(
      onPostgres()
        ? "SELECT column_name FROM information_schema.columns WHERE table_name = 'ban_list' AND table_schema = $1"
        : "SELECT name AS column_name FROM pragma_table_info('ban_list')",
      onPostgres() ? [(identity().options as { schema?: string }).schema] : [],
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(['entry', 'expires_at']);
  });

  it('lists a suspended account’s addresses until the suspension ends, and forgets them after', async () => {
    await identity().getRepository(BanEntryEntity).clear();
    const email = 'suspended.person@example.org';
    const carol = await signUpMember(env.app, env.smtp, { email });
    await suspendMember(env.app, carol);
    await deleteAccount(carol);
    const [row] = await entries();
    expect(row.expiresAt.getTime() % DAY_MS).toBe(0);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3 * DAY_MS - 3_600_000);
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 5 * DAY_MS);
    expect((await signUpAgain(email)).errors?.[0]?.extensions?.reason).toBe('BANNED');

    // The suspension is over: the entry is purged and the address is free again.
    await identity()
      .getRepository(BanEntryEntity)
      .update({ entry: row.entry }, { expiresAt: new Date(Date.now() - DAY_MS) });
    const res = await signUpAgain(email);
    expect(res.errors).toBeUndefined();
    expect(await entries()).toEqual([]);
  });

  it('lists nothing when an account without a sanction deletes itself', async () => {
    const dave = await signUpMember(env.app, env.smtp);
    expect(
      (await verifyEmployer(env.app, env.smtp, dave, 'dave@initech.example')).errors,
    ).toBeUndefined();
    await deleteAccount(dave);
    expect(await entries()).toEqual([]);
    expect((await signUpAgain(dave.email)).errors).toBeUndefined();
  });

  (onPostgres() ? it.skip : it)('keeps the list without rowid on SQLite', async () => {
    const [{ sql }] = await identity().query<Array<{ sql: string }>>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ban_list'",
    );
    expect(sql).toMatch(/WITHOUT ROWID\s*$/i);
  });
});
