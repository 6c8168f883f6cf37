import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { IdentitySessionTimes1795737600200 } from '../../../src/infrastructure/database/migrations/identity/1795737600200-identity-session-times';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { escapedTablePath } from '../../../src/infrastructure/database/table-path';
import { SessionEntity } from '../../../src/identity/sessions/session.entity';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';

const DAY_MS = 86_400_000;

/** Sessions stored before the change lose their creation time and their expiry's hour. */
describe('Session times migration', () => {
  const current = storesPerTest();

  it('drops created_at, rounds expiries up to the day and (on SQLite) rebuilds the table without rowid', async () => {
    const all = MIGRATIONS.identity;
    const before = all.slice(0, all.indexOf(IdentitySessionTimes1795737600200));
    const old = await openStore({
      ...storeOptions(current.config, 'identity'),
      migrations: before,
    });
    const expires = Date.UTC(2031, 4, 6, 13, 7, 41, 123);
    try {
      const table = (name: string) =>
        [onPostgres() ? current.config.DATABASE_IDENTITY_SCHEMA : undefined, name]
          .filter((part) => part !== undefined)
          .map((part) => old.driver.escape(part))
          .join('.');
      const p = (n: number) => (onPostgres() ? `$${n}` : '?');
      await old.query(
        `INSERT INTO ${table('accounts')} (id, email_index, password_hash, jurisdiction, seal_id, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
        ['a1', 'f'.repeat(64), 'hash', 'US', 's1', 1],
      );
      await old.query(
        `INSERT INTO ${table('sessions')} (token_hash, account_id, created_at, expires_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
        ['e'.repeat(64), 'a1', expires - 30 * DAY_MS, expires],
      );
    } finally {
      await old.destroy();
    }

    const migrated: DataSource = await openStore(storeOptions(current.config, 'identity'));
    try {
      const rows: Array<Record<string, unknown>> = await migrated.query(
        `SELECT * FROM ${escapedTablePath(migrated, SessionEntity)}`,
      );
      expect(rows.map((row) => Object.keys(row).sort())).toEqual([
        ['account_id', 'expires_at', 'token_hash'],
      ]);
      expect(Number(rows[0].expires_at)).toBe(Date.UTC(2031, 4, 7));
      if (!onPostgres()) {
        const [{ sql }] = await migrated.query<Array<{ sql: string }>>(
          "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'",
        );
        expect(sql).toMatch(/WITHOUT ROWID\s*$/i);
        // Deleting the account still takes its sessions (the foreign key survived the rebuild).
        await migrated.query('PRAGMA foreign_keys = ON');
        await migrated.query("DELETE FROM accounts WHERE id = 'a1'");
        expect(await migrated.query('SELECT * FROM sessions')).toEqual([]);
      }
    } finally {
      await migrated.destroy();
    }
  });
});
