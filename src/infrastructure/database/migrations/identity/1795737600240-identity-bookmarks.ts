import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bookmarks (identity store): one sealed record per account (BookmarkRecordEntity) and the UTC
 * day of its last change, without rowid on SQLite; deleted with its account.
 */
export class IdentityBookmarks1795737600240 implements MigrationInterface {
  name = 'IdentityBookmarks1795737600240';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bookmark_records',
        withoutRowid: queryRunner.connection.options.type !== 'postgres',
        columns: [
          { name: 'account_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'payload', type: 'text' },
          { name: 'changed_on', type: 'bigint' },
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bookmark_records');
  }
}
