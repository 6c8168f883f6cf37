import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Rules keep the evasion options a compliance officer set (docs/compliance.md, "Normalisation
 * v2" and "Term expansion"), as JSON; rules written before set none, so every option takes
 * its default.
 */
export class ContentRuleMatchOptions1795737600303 implements MigrationInterface {
  name = 'ContentRuleMatchOptions1795737600303';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rules = storeTable(queryRunner.connection, 'rules');
    await queryRunner.query(
      `ALTER TABLE ${rules} ADD COLUMN match_options text NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const rules = storeTable(queryRunner.connection, 'rules');
    await queryRunner.query(`ALTER TABLE ${rules} DROP COLUMN match_options`);
  }
}
