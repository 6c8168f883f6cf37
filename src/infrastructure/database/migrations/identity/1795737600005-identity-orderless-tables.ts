import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';
import { rebuildSqliteTable as rebuild } from '../sqlite-rebuild';

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
