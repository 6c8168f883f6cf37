import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

const DAY_MS = 86_400_000;

/**
 * Sessions keep no precise time: `created_at` goes, and `expires_at` is rounded up to the
 * next UTC midnight (never shortening a session), so no row says when someone signed in to
 * better than a day. On SQLite the table is rebuilt `WITHOUT ROWID`, keyed by the random token
 * hash, so its physical order no longer follows sign-in order.
 */
export class IdentitySessionTimes1795737600200 implements MigrationInterface {
  name = 'IdentitySessionTimes1795737600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver, options } = queryRunner.connection;
    const postgres = options.type === 'postgres';
    const path = (table: string) => storeTable(queryRunner.connection, table);
    const dayUp = `((${driver.escape('expires_at')} + ${DAY_MS - 1}) / ${DAY_MS}) * ${DAY_MS}`;
    if (postgres) {
      await queryRunner.dropColumn('sessions', 'created_at');
      await queryRunner.query(
        `UPDATE ${path('sessions')} SET ${driver.escape('expires_at')} = ${dayUp}`,
      );
      return;
    }
    await queryRunner.createTable(
      new Table({
        name: 'sessions_by_token',
        withoutRowid: true,
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: 'bigint' },
        ],
        foreignKeys: [
          {
            columnNames: ['account_id'],
            referencedTableName: 'accounts',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO ${path('sessions_by_token')} (token_hash, account_id, expires_at) ` +
        `SELECT token_hash, account_id, ${dayUp} FROM ${path('sessions')}`,
    );
    await queryRunner.dropTable('sessions');
    await queryRunner.renameTable('sessions_by_token', 'sessions');
    await queryRunner.createIndex(
      'sessions',
      new TableIndex({ name: 'idx_sessions_account', columnNames: ['account_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The creation times are gone; the old shape comes back with the expiry in their place.
    const path = storeTable(queryRunner.connection, 'sessions');
    await queryRunner.query(`ALTER TABLE ${path} ADD COLUMN created_at bigint`);
    await queryRunner.query(`UPDATE ${path} SET created_at = expires_at`);
  }
}
