import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSqliteTable } from '../sqlite-rebuild';

/**
 * Memberships are stored in the order of their random id on SQLite (`WITHOUT ROWID`), not in
 * the order people verified (docs/anonymity.md, "Tables whose physical order carries
 * nothing"): with days as their only times, the rowid was what still ordered verifications
 * within a day.
 */
export class IdentityOrderlessMemberships1795737600009 implements MigrationInterface {
  name = 'IdentityOrderlessMemberships1795737600009';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') return;
    await rebuildSqliteTable(queryRunner, 'memberships', ' WITHOUT ROWID');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') return;
    await rebuildSqliteTable(queryRunner, 'memberships', '');
  }
}
