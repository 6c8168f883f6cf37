import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Rollback under four eyes: a rollback can be a draft that a second officer publishes, marked
 * with the published version whose rules it restores (`rollback_of`); null for every other
 * version, including those made before. Plain `ADD COLUMN` on both databases: nullable.
 */
export class ContentRollbackDrafts1795737600356 implements MigrationInterface {
  name = 'ContentRollbackDrafts1795737600356';

  async up(queryRunner: QueryRunner): Promise<void> {
    const versions = storeTable(queryRunner.connection, 'rule_set_versions');
    await queryRunner.query(`ALTER TABLE ${versions} ADD COLUMN rollback_of integer NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const versions = storeTable(queryRunner.connection, 'rule_set_versions');
    await queryRunner.query(`ALTER TABLE ${versions} DROP COLUMN rollback_of`);
  }
}
