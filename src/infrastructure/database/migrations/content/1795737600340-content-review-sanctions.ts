import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The sanction a decision applied, kept with the decided review item (kind and days) so that
 * an appeal shows the decision under appeal in full (`ReviewItem.appealOf`). Decisions made
 * before have none recorded here (their sanction stays in the audit trail).
 */
export class ContentReviewSanctions1795737600340 implements MigrationInterface {
  name = 'ContentReviewSanctions1795737600340';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('review_items', [
      new TableColumn({ name: 'sanction_kind', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'sanction_days', type: 'integer', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('review_items', 'sanction_days');
    await queryRunner.dropColumn('review_items', 'sanction_kind');
  }
}
