import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const instant = (name: string) => ({ name, type: 'bigint' });
const count = (name: string) => ({ name, type: 'integer', default: 0 });
const cascade = (column: string, table: string) => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

/**
 * What moderation needs on the identity side (docs/anonymity.md, "Moderation: sanctions,
 * notifications, reporter accuracy"): sanctions, sealed notifications, reporters' track
 * records and moderators' board scopes. Every row goes with its account when it is deleted.
 */
export class IdentityModeration1795737600002 implements MigrationInterface {
  name = 'IdentityModeration1795737600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sanctions',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('account_id'),
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'reason_code', type: 'varchar', length: '64' },
          instant('created_at'),
          { ...instant('ends_at'), isNullable: true },
          { ...instant('lifted_at'), isNullable: true },
        ],
        foreignKeys: [cascade('account_id', 'accounts')],
        indices: [new TableIndex({ name: 'idx_sanctions_account', columnNames: ['account_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('account_id'),
          instant('created_at'),
          { name: 'kind', type: 'varchar', length: '40' },
          { name: 'payload', type: 'text' },
          { ...instant('read_at'), isNullable: true },
        ],
        foreignKeys: [cascade('account_id', 'accounts')],
        indices: [
          new TableIndex({
            name: 'idx_notifications_account_created',
            columnNames: ['account_id', 'created_at'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reporter_stats',
        columns: [{ ...ref('account_id'), isPrimary: true }, count('upheld'), count('rejected')],
        foreignKeys: [cascade('account_id', 'accounts')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'moderator_scopes',
        columns: [{ ...ref('account_id'), isPrimary: true }, ref('company_id')],
        foreignKeys: [cascade('account_id', 'accounts'), cascade('company_id', 'companies')],
        indices: [
          new TableIndex({ name: 'idx_moderator_scopes_company', columnNames: ['company_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['moderator_scopes', 'reporter_stats', 'notifications', 'sanctions']) {
      await queryRunner.dropTable(table);
    }
  }
}
