import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The ban list (identity store): keyed entries for the addresses of banned or suspended
 * accounts that deleted themselves, each with a day of expiry. Keyed by the entry itself and,
 * on SQLite, without rowid, so the file's order says nothing about when an entry was written.
 */
export class IdentityBanList1795737600202 implements MigrationInterface {
  name = 'IdentityBanList1795737600202';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'ban_list',
        withoutRowid: queryRunner.connection.options.type !== 'postgres',
        columns: [
          { name: 'entry', type: 'varchar', length: '64', isPrimary: true },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ban_list');
  }
}
