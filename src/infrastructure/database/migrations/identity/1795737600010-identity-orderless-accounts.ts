import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSqliteTable } from '../sqlite-rebuild';

/**
 * Accounts are stored in the order of their random id on SQLite (`WITHOUT ROWID`), not in
 * the order people signed up (docs/anonymity.md, "Tables whose physical order carries
 * nothing"): with the day as their only time, the rowid still ordered sign-ups within a day.
 *
 * Every other identity table's foreign key points at `accounts`, and dropping a parent with
 * `foreign_keys = ON` deletes its children, so this migration runs outside TypeORM's
 * transaction: SQLite ignores `PRAGMA foreign_keys` inside one. It follows SQLite's own
 * recipe for changing a table (https://sqlite.org/lang_altertable.html, "Making Other Kinds
 * Of Table Schema Changes"): keys off, rebuild in a transaction, check every key, keys on.
 */
export class IdentityOrderlessAccounts1795737600010 implements MigrationInterface {
  name = 'IdentityOrderlessAccounts1795737600010';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await rebuildAccounts(queryRunner, ' WITHOUT ROWID');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rebuildAccounts(queryRunner, '');
  }
}

async function rebuildAccounts(queryRunner: QueryRunner, suffix: string): Promise<void> {
  if (queryRunner.connection.options.type !== 'better-sqlite3') return;
  await queryRunner.query('PRAGMA foreign_keys = OFF');
  try {
    await queryRunner.startTransaction();
    try {
      await rebuildSqliteTable(queryRunner, 'accounts', suffix);
      const broken = (await queryRunner.query('PRAGMA foreign_key_check')) as unknown[];
      if (broken.length > 0) {
        throw new Error(`accounts rebuild left ${broken.length} dangling foreign keys`);
      }
      await queryRunner.commitTransaction();
    } catch (error) {
      await queryRunner.rollbackTransaction();
      throw error;
    }
  } finally {
    await queryRunner.query('PRAGMA foreign_keys = ON');
  }
}
