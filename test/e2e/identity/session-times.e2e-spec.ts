import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { TransactionRunner } from '../../../src/infrastructure/database/transaction-runner';
import { escapedTablePath } from '../../../src/infrastructure/database/table-path';
import { SessionEntity } from '../../../src/identity/sessions/session.entity';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
} from '../../utils/identity-client';
import { onPostgres } from '../../utils/test-env';

const DAY_MS = 86_400_000;

/**
 * A sessions row must not tell when its account signed in: "the latest session opened just
 * before this thread" picked the author when rows kept the creation time in milliseconds.
 */
describe('Session rows keep no precise time', () => {
  let env: IdentityTestApp;
  let identity: DataSource;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' });
    identity = env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
  });
  afterAll(async () => env.close());

  it('stores, after sign-ups and sign-ins, only an expiry at a UTC midnight at least SESSION_TTL_DAYS away', async () => {
    const started = Date.now();
    const member = await signUpMember(env.app, env.smtp);
    const signIn = await env.app.gql<{ signIn: { expiresAt: string } }>(
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { expiresAt } }',
      { e: member.email, p: member.password },
    );
    expect(signIn.errors).toBeUndefined();
    const rows: Array<Record<string, unknown>> = await identity.query(
      `SELECT * FROM ${escapedTablePath(identity, SessionEntity)}`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3); // the admin's, the sign-up's, the sign-in's
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['account_id', 'expires_at', 'token_hash']);
      const expires = Number(row.expires_at);
      expect(expires % DAY_MS).toBe(0);
      expect(expires).toBeGreaterThanOrEqual(started + 30 * DAY_MS);
      expect(expires).toBeLessThanOrEqual(Date.now() + 31 * DAY_MS);
    }
    expect(Date.parse(signIn.data?.signIn.expiresAt ?? '') % DAY_MS).toBe(0);
  });

  it('refuses a session from its expiry on, and its account once deleted, at once', async () => {
    const member = await signUpMember(env.app, env.smtp);
    const ask = async () =>
      (await member.gql<{ viewer: { jurisdiction: string } | null }>('{ viewer { jurisdiction } }'))
        .errors?.[0]?.extensions?.code ?? 'OK';
    const rows: Array<{ token_hash: string; expires_at: string | number }> = await identity.query(
      `SELECT token_hash, expires_at FROM ${escapedTablePath(identity, SessionEntity)}`,
    );
    // Written as the application writes (a committed identity transaction), which drops the
    // sessions the server keeps in memory for a few seconds; time itself is honoured by the
    // expiry kept with them (principal-cache.spec.ts).
    const expireAll = (at: number) =>
      env.app.app.get(TransactionRunner).run(IDENTITY_STORE, (manager) =>
        manager
          .createQueryBuilder()
          .update(SessionEntity)
          .set({ expiresAt: new Date(at) })
          .execute(),
      );
    expect(await ask()).toBe('OK');
    await expireAll(Date.now() - 1);
    expect(await ask()).toBe('UNAUTHENTICATED');
    await expireAll(Date.now() + DAY_MS);
    expect(await ask()).toBe('OK');
    // Every row back as it was (the other tests' sessions too).
    for (const row of rows) {
      await identity
        .createQueryBuilder()
        .update(SessionEntity)
        .set({ expiresAt: new Date(Number(row.expires_at)) })
        .where({ tokenHash: row.token_hash })
        .execute();
    }
    const deleted = await member.gql<{ deleteAccount: boolean }>(
      'mutation ($p: String!) { deleteAccount(password: $p) }',
      { p: member.password },
    );
    expect(deleted.errors).toBeUndefined();
    expect(await ask()).toBe('UNAUTHENTICATED');
  });

  (onPostgres() ? it.skip : it)(
    'has no rowid on SQLite: rows sit in the order of their random key',
    async () => {
      const [{ sql }] = await identity.query<Array<{ sql: string }>>(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'",
      );
      expect(sql).toMatch(/WITHOUT ROWID\s*$/i);
      await expect(identity.query('SELECT rowid FROM sessions')).rejects.toThrow(/rowid/);
    },
  );
});
