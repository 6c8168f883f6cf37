import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * The sanction a decision applied, kept with the decided review item (kind, and days for a
 * suspension) so that an appeal shows the decision under appeal in full
 * (`ReviewItem.appealOf`). Decisions made before have none recorded here (their sanction stays
 * in the audit trail). Plain `ADD COLUMN` on both databases: nullable, no rewrite of the rows.
 */
export class ContentReviewSanctions1795737600340 implements MigrationInterface {
  name = 'ContentReviewSanctions1795737600340';

  async up(queryRunner: QueryRunner): Promise<void> {
    const items = storeTable(queryRunner.connection, 'review_items');
    await queryRunner.query(`ALTER TABLE ${items} ADD COLUMN sanction_kind varchar(16) NULL`);
    await queryRunner.query(`ALTER TABLE ${items} ADD COLUMN sanction_days integer NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const items = storeTable(queryRunner.connection, 'review_items');
    await queryRunner.query(`ALTER TABLE ${items} DROP COLUMN sanction_days`);
    await queryRunner.query(`ALTER TABLE ${items} DROP COLUMN sanction_kind`);
  }
}
