import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/** Identity tables whose rows moderation writes, and the grants of staff roles. */
const TABLES = ['sanctions', 'notifications', 'reporter_stats', 'account_roles'];

/**
 * Tables whose physical order carries nothing (docs/anonymity.md, "Order and time"). On
 * SQLite, rows of an ordinary table are stored in insertion order (the rowid), so the order
 * of sanctions, notifications, reporters' counts and role grants could be lined up against
 * the content store's decisions or the audit log. They are rebuilt `WITHOUT ROWID`: stored in
 * the order of their primary key, a random id or an account id. Role grants keep the day only.
 * On PostgreSQL only the grant times are coarsened (its heap order is the subject of the
 * mixed delivery and of docs/anonymity.md's residual risks).
 */
export class IdentityOrderlessTables1795737600005 implements MigrationInterface {
  name = 'IdentityOrderlessTables1795737600005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const roles = storeTable(queryRunner.connection, 'account_roles');
    await queryRunner.query(`UPDATE ${roles} SET granted_at = (granted_at / 86400000) * 86400000`);
    if (queryRunner.connection.options.type !== 'better-sqlite3') return;
    for (const table of TABLES) await rebuild(queryRunner, table, ' WITHOUT ROWID');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') return;
    for (const table of TABLES) await rebuild(queryRunner, table, '');
  }
}

/** Recreates a SQLite table from its own definition with `suffix`, keeping rows and indexes. */
async function rebuild(queryRunner: QueryRunner, table: string, suffix: string): Promise<void> {
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
