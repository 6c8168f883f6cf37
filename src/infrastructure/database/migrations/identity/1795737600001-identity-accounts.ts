import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const instant = (name: string) => ({ name, type: 'bigint' });
const count = (name: string) => ({ name, type: 'integer', default: 0 });
const cascade = (column: string, table: string) => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

/** Accounts, roles, sessions, email codes, companies and memberships (identity store). */
export class IdentityAccounts1795737600001 implements MigrationInterface {
  name = 'IdentityAccounts1795737600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'accounts',
        columns: [
          id(),
          { name: 'email_index', type: 'varchar', length: '64', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'jurisdiction', type: 'varchar', length: '16' },
          { name: 'seal_id', type: 'varchar', length: '36', isUnique: true },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'account_roles',
        columns: [
          { ...ref('account_id'), isPrimary: true },
          { name: 'role', type: 'varchar', length: '32', isPrimary: true },
          instant('granted_at'),
        ],
        foreignKeys: [cascade('account_id', 'accounts')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          ref('account_id'),
          instant('created_at'),
          instant('expires_at'),
        ],
        foreignKeys: [cascade('account_id', 'accounts')],
        indices: [new TableIndex({ name: 'idx_sessions_account', columnNames: ['account_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'email_codes',
        columns: [
          { name: 'email_index', type: 'varchar', length: '64', isPrimary: true },
          { name: 'code_hash', type: 'varchar', length: '64', isNullable: true },
          count('attempts'),
          instant('expires_at'),
          instant('window_started_at'),
          count('requests_in_window'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'companies',
        columns: [
          id(),
          { name: 'slug', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'industry', type: 'varchar', length: '80' },
          { name: 'size_band', type: 'varchar', length: '32' },
          { name: 'jurisdiction', type: 'varchar', length: '16' },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'company_domains',
        columns: [
          { name: 'domain', type: 'varchar', length: '253', isPrimary: true },
          ref('company_id'),
        ],
        foreignKeys: [cascade('company_id', 'companies')],
        indices: [
          new TableIndex({ name: 'idx_company_domains_company', columnNames: ['company_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'company_requests',
        columns: [
          { name: 'domain', type: 'varchar', length: '253', isPrimary: true },
          count('attempts'),
          instant('first_seen_at'),
          instant('last_seen_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [
          id(),
          ref('account_id'),
          ref('company_id'),
          { name: 'work_email_index', type: 'varchar', length: '64', isUnique: true },
          instant('verified_at'),
          instant('expires_at'),
        ],
        foreignKeys: [cascade('account_id', 'accounts'), cascade('company_id', 'companies')],
        indices: [
          new TableIndex({
            name: 'idx_memberships_account_company',
            columnNames: ['account_id', 'company_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_memberships_company_expiry',
            columnNames: ['company_id', 'expires_at'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'memberships',
      'company_requests',
      'company_domains',
      'companies',
      'email_codes',
      'sessions',
      'account_roles',
      'accounts',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
