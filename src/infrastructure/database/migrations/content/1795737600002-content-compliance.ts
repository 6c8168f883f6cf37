import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const code = (name: string) => ({ name, type: 'varchar', length: '16' });
const instant = (name: string) => ({ name, type: 'bigint' });
const text = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });
const longText = (name: string) => ({ name, type: 'text' });
/** A JSON array stored as text. */
const jsonList = (name: string) => ({ name, type: 'text' });

/** The 27 member states of the European Union. */
const EU_MEMBERS: ReadonlyArray<[string, string]> = [
  ['AT', 'Austria'],
  ['BE', 'Belgium'],
  ['BG', 'Bulgaria'],
  ['HR', 'Croatia'],
  ['CY', 'Cyprus'],
  ['CZ', 'Czechia'],
  ['DK', 'Denmark'],
  ['EE', 'Estonia'],
  ['FI', 'Finland'],
  ['FR', 'France'],
  ['DE', 'Germany'],
  ['GR', 'Greece'],
  ['HU', 'Hungary'],
  ['IE', 'Ireland'],
  ['IT', 'Italy'],
  ['LV', 'Latvia'],
  ['LT', 'Lithuania'],
  ['LU', 'Luxembourg'],
  ['MT', 'Malta'],
  ['NL', 'Netherlands'],
  ['PL', 'Poland'],
  ['PT', 'Portugal'],
  ['RO', 'Romania'],
  ['SK', 'Slovakia'],
  ['SI', 'Slovenia'],
  ['ES', 'Spain'],
  ['SE', 'Sweden'],
];

/** Other countries seeded by default (more are added by later migrations). */
const OTHER_COUNTRIES: ReadonlyArray<[string, string]> = [
  ['AE', 'United Arab Emirates'],
  ['AR', 'Argentina'],
  ['AU', 'Australia'],
  ['BR', 'Brazil'],
  ['CA', 'Canada'],
  ['CH', 'Switzerland'],
  ['CL', 'Chile'],
  ['CN', 'China'],
  ['CO', 'Colombia'],
  ['EG', 'Egypt'],
  ['GB', 'United Kingdom'],
  ['HK', 'Hong Kong'],
  ['ID', 'Indonesia'],
  ['IL', 'Israel'],
  ['IN', 'India'],
  ['IS', 'Iceland'],
  ['JP', 'Japan'],
  ['KE', 'Kenya'],
  ['KR', 'South Korea'],
  ['LI', 'Liechtenstein'],
  ['MO', 'Macao'],
  ['MX', 'Mexico'],
  ['MY', 'Malaysia'],
  ['NG', 'Nigeria'],
  ['NO', 'Norway'],
  ['NZ', 'New Zealand'],
  ['PH', 'Philippines'],
  ['PK', 'Pakistan'],
  ['RU', 'Russia'],
  ['SA', 'Saudi Arabia'],
  ['SG', 'Singapore'],
  ['TH', 'Thailand'],
  ['TR', 'Türkiye'],
  ['TW', 'Taiwan'],
  ['UA', 'Ukraine'],
  ['US', 'United States'],
  ['VN', 'Vietnam'],
  ['ZA', 'South Africa'],
];

/**
 * Inserts rows with plain SQL (no entity metadata: a migration must not change meaning when an
 * entity class changes later), in the store's schema on PostgreSQL.
 */
async function insertRows(
  queryRunner: QueryRunner,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): Promise<void> {
  const { driver, options } = queryRunner.connection;
  const postgres = options.type === 'postgres';
  const schema = postgres ? options.schema : undefined;
  const path = (schema === undefined ? [table] : [schema, table])
    .map((part) => driver.escape(part))
    .join('.');
  let n = 0;
  const values = rows
    .map(() => `(${columns.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`)
    .join(', ');
  await queryRunner.query(
    `INSERT INTO ${path} (${columns.map((c) => driver.escape(c)).join(', ')}) VALUES ${values}`,
    rows.flat(),
  );
}

/**
 * Compliance (content store): jurisdictions and their groups (seeded: the EU and its 27
 * members, and other common countries), rule set versions with their rules, and the audit
 * log. Nothing here names an account: a version's last editor is a keyed staff token, an
 * audit entry's actor a staff handle.
 */
export class ContentCompliance1795737600002 implements MigrationInterface {
  name = 'ContentCompliance1795737600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'jurisdictions',
        columns: [{ ...code('code'), isPrimary: true }, text('name', 120), code('kind')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'jurisdiction_group_members',
        columns: [
          { ...code('group_code'), isPrimary: true },
          { ...code('member_code'), isPrimary: true },
        ],
        foreignKeys: [
          {
            columnNames: ['group_code'],
            referencedTableName: 'jurisdictions',
            referencedColumnNames: ['code'],
          },
          {
            columnNames: ['member_code'],
            referencedTableName: 'jurisdictions',
            referencedColumnNames: ['code'],
          },
        ],
        indices: [
          new TableIndex({
            name: 'idx_jurisdiction_group_members_member',
            columnNames: ['member_code'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rule_set_versions',
        columns: [
          id(),
          code('jurisdiction'),
          { name: 'version', type: 'integer' },
          code('status'),
          { name: 'based_on_version', type: 'integer', isNullable: true },
          instant('created_at'),
          instant('updated_at'),
          { ...instant('published_at'), isNullable: true },
          // Keyed staff token (base64url HMAC-SHA256, 43 characters), never an account id.
          text('last_editor', 64),
        ],
        indices: [
          new TableIndex({
            name: 'uq_rule_set_versions_number',
            columnNames: ['jurisdiction', 'version'],
            isUnique: true,
          }),
          // One ACTIVE and one DRAFT version per jurisdiction, whatever races.
          new TableIndex({
            name: 'uq_rule_set_versions_active',
            columnNames: ['jurisdiction'],
            isUnique: true,
            where: `"status" = 'ACTIVE'`,
          }),
          new TableIndex({
            name: 'uq_rule_set_versions_draft',
            columnNames: ['jurisdiction'],
            isUnique: true,
            where: `"status" = 'DRAFT'`,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rules',
        columns: [
          id(),
          ref('rule_set_id'),
          { name: 'position', type: 'integer' },
          text('name', 120),
          code('matcher_kind'),
          jsonList('terms'),
          { ...longText('pattern'), isNullable: true },
          jsonList('pii_kinds'),
          jsonList('exclude_terms'),
          code('action'),
          jsonList('board_kinds'),
          jsonList('fields'),
          longText('legal_basis'),
          longText('explanation'),
          { name: 'enabled', type: 'boolean' },
        ],
        foreignKeys: [
          {
            columnNames: ['rule_set_id'],
            referencedTableName: 'rule_set_versions',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({ name: 'idx_rules_rule_set', columnNames: ['rule_set_id', 'position'] }),
        ],
      }),
    );
    await insertRows(
      queryRunner,
      'jurisdictions',
      ['code', 'name', 'kind'],
      [
        ['EU', 'European Union', 'GROUP'],
        ...[...EU_MEMBERS, ...OTHER_COUNTRIES].map(([c, name]) => [c, name, 'COUNTRY']),
      ],
    );
    await insertRows(
      queryRunner,
      'jurisdiction_group_members',
      ['group_code', 'member_code'],
      EU_MEMBERS.map(([c]) => ['EU', c]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'rules',
      'rule_set_versions',
      'jurisdiction_group_members',
      'jurisdictions',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
