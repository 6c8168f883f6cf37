import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { IdentityOrderlessAccounts1795737600010 } from '../../../src/infrastructure/database/migrations/identity/1795737600010-identity-orderless-accounts';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';

/**
 * `accounts` is rebuilt without a rowid on SQLite although every other identity table's
 * foreign key points at it: the rows that point at it survive, and keys still cascade after.
 */
describe('Orderless accounts migration (SQLite)', () => {
  const current = storesPerTest();

  it('rebuilds accounts WITHOUT ROWID, keeping the rows that point at them and their cascades', async () => {
    if (onPostgres()) return; // PostgreSQL: nothing to rebuild (docs/anonymity.md)
    const all = MIGRATIONS.identity;
    const before = all.slice(0, all.indexOf(IdentityOrderlessAccounts1795737600010));
    const old = await openStore({
      ...storeOptions(current.config, 'identity'),
      migrations: before,
    });
    try {
      for (const id of ['a1', 'a2']) {
        await old.query(
          'INSERT INTO accounts (id, email_index, password_hash, jurisdiction, seal_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [id, id.repeat(32), 'hash', 'US', `seal-${id}`, 0],
        );
        await old.query(
          'INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          [`token-${id}`, id, 0, 86_400_000],
        );
      }
    } finally {
      await old.destroy();
    }

    const migrated: DataSource = await openStore(storeOptions(current.config, 'identity'));
    try {
      const [{ sql }] = await migrated.query<Array<{ sql: string }>>(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'accounts'",
      );
      expect(sql).toMatch(/WITHOUT ROWID\s*$/i);
      expect(await migrated.query('SELECT id FROM accounts ORDER BY id')).toEqual([
        { id: 'a1' },
        { id: 'a2' },
      ]);
      expect(await migrated.query('SELECT account_id FROM sessions ORDER BY account_id')).toEqual([
        { account_id: 'a1' },
        { account_id: 'a2' },
      ]);
      // Foreign keys are on again, and still cascade.
      expect(await migrated.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      await migrated.query("DELETE FROM accounts WHERE id = 'a1'");
      expect(await migrated.query('SELECT account_id FROM sessions')).toEqual([
        { account_id: 'a2' },
      ]);
      expect(await migrated.query('PRAGMA foreign_key_check')).toEqual([]);
    } finally {
      await migrated.destroy();
    }
  });
});
