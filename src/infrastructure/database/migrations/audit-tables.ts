import { Table, TableIndex, type QueryRunner } from 'typeorm';

/**
 * The audit chain's tables, the same in both stores (docs/audit.md). Used by the two
 * migrations that create them (content 1795737600006, identity 1795737600003); never change
 * this function — a later change to the tables is a new migration.
 */
export async function createAuditTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: 'audit_events',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'seq', type: 'integer' },
        { name: 'at', type: 'bigint' },
        { name: 'actor_handle', type: 'varchar', length: '64' },
        { name: 'actor_role', type: 'varchar', length: '32' },
        { name: 'action', type: 'varchar', length: '64' },
        { name: 'subject', type: 'varchar', length: '128' },
        { name: 'detail', type: 'text' },
        { name: 'prev_hash', type: 'varchar', length: '64' },
        { name: 'hash', type: 'varchar', length: '64' },
      ],
      indices: [
        new TableIndex({ name: 'uq_audit_events_seq', columnNames: ['seq'], isUnique: true }),
        new TableIndex({ name: 'idx_audit_events_at', columnNames: ['at', 'seq'] }),
        new TableIndex({ name: 'idx_audit_events_action', columnNames: ['action', 'at', 'seq'] }),
      ],
    }),
  );
  await queryRunner.createTable(
    new Table({
      name: 'audit_heads',
      columns: [
        { name: 'id', type: 'varchar', length: '16', isPrimary: true },
        { name: 'seq', type: 'integer' },
        { name: 'hash', type: 'varchar', length: '64' },
      ],
    }),
  );
  const { driver, options } = queryRunner.connection;
  const postgres = options.type === 'postgres';
  const schema = postgres ? (options as { schema?: string }).schema : undefined;
  const table = (schema === undefined ? ['audit_heads'] : [schema, 'audit_heads'])
    .map((part) => driver.escape(part))
    .join('.');
  const marks = postgres ? '$1, $2, $3' : '?, ?, ?';
  await queryRunner.query(`INSERT INTO ${table} (id, seq, hash) VALUES (${marks})`, [
    'main',
    0,
    '0'.repeat(64),
  ]);
}

export async function dropAuditTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.dropTable('audit_heads');
  await queryRunner.dropTable('audit_events');
}
