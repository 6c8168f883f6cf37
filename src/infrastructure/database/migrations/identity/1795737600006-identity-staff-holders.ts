import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff roles and moderator scopes held by keyed tokens of accounts instead of account ids
 * (docs/anonymity.md, "Staff"). Rows of the old `account_roles` and `moderator_scopes` tables
 * can only be moved by the server, which holds the key: it does so when it starts
 * (LegacyStaffRows), leaving the old tables empty.
 */
export class IdentityStaffHolders1795737600006 implements MigrationInterface {
  name = 'IdentityStaffHolders1795737600006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.options.type === 'better-sqlite3';
    await queryRunner.createTable(
      new Table({
        name: 'staff_roles',
        withoutRowid: sqlite,
        columns: [
          { name: 'holder', type: 'varchar', length: '64', isPrimary: true },
          { name: 'role', type: 'varchar', length: '32', isPrimary: true },
          { name: 'granted_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'staff_scopes',
        withoutRowid: sqlite,
        columns: [
          { name: 'holder', type: 'varchar', length: '64', isPrimary: true },
          { name: 'company_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [
          {
            columnNames: ['company_id'],
            referencedTableName: 'companies',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          new TableIndex({ name: 'idx_staff_scopes_company', columnNames: ['company_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('staff_scopes');
    await queryRunner.dropTable('staff_roles');
  }
}
