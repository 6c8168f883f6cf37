import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * The day (UTC midnight) an account's password was last changed or reset, and nothing finer:
 * on PostgreSQL the re-stamping of recent identity rows finds the accounts changed yesterday
 * or today by it (docs/anonymity.md, "PostgreSQL transaction ids"). Plain `ADD COLUMN` on both
 * engines: on SQLite it leaves the `WITHOUT ROWID` table, and the keys pointing at it, as they
 * are.
 */
export class IdentityPasswordChangeDay1795737600230 implements MigrationInterface {
  name = 'IdentityPasswordChangeDay1795737600230';

  async up(queryRunner: QueryRunner): Promise<void> {
    const accounts = storeTable(queryRunner.connection, 'accounts');
    await queryRunner.query(`ALTER TABLE ${accounts} ADD COLUMN password_changed_at bigint NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const accounts = storeTable(queryRunner.connection, 'accounts');
    await queryRunner.query(`ALTER TABLE ${accounts} DROP COLUMN password_changed_at`);
  }
}
