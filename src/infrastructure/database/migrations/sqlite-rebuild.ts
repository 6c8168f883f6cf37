import type { QueryRunner } from 'typeorm';

/**
 * Recreates a SQLite table from its own definition with `suffix` (` WITHOUT ROWID`, or '' to
 * undo it), keeping its rows, constraints and indexes. A table other tables' foreign keys point
 * at needs `foreign_keys = OFF` around the call (dropping a parent under `foreign_keys = ON`
 * deletes its children): see the orderless-accounts migration.
 */
export async function rebuildSqliteTable(
  queryRunner: QueryRunner,
  table: string,
  suffix: string,
): Promise<void> {
  const [definition] = (await queryRunner.query(
    `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`,
    [table],
  )) as Array<{ sql: string }>;
  const indexes = (await queryRunner.query(
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
    [table],
  )) as Array<{ sql: string }>;
  const body = definition.sql.replace(/\s*WITHOUT ROWID\s*$/i, '');
  const created = body.replace(
    /^CREATE TABLE\s+"?[A-Za-z_]+"?/i,
    `CREATE TABLE "${table}_rebuilt"`,
  );
  await queryRunner.query(`${created}${suffix}`);
  await queryRunner.query(`INSERT INTO "${table}_rebuilt" SELECT * FROM "${table}"`);
  await queryRunner.query(`DROP TABLE "${table}"`);
  await queryRunner.query(`ALTER TABLE "${table}_rebuilt" RENAME TO "${table}"`);
  for (const index of indexes) await queryRunner.query(index.sql);
}
