import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The transparency report (content store, docs/transparency.md): daily compliance action
 * counters — (UTC day, jurisdiction, action) → count, nothing else, so the table names no
 * post and no person — and indexes for the report's window reads of review decisions and
 * reports. (review.entity.ts should declare the two indexes with `@Index`, so that a
 * generated migration does not drop them.)
 */
export class ContentTransparency1795737600005 implements MigrationInterface {
  name = 'ContentTransparency1795737600005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'compliance_action_counts',
        columns: [
          { name: 'day', type: 'bigint', isPrimary: true },
          { name: 'jurisdiction', type: 'varchar', length: '16', isPrimary: true },
          { name: 'action', type: 'varchar', length: '16', isPrimary: true },
          { name: 'count', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'review_items',
      new TableIndex({ name: 'idx_review_items_decided', columnNames: ['decided_at'] }),
    );
    await queryRunner.createIndex(
      'reports',
      new TableIndex({ name: 'idx_reports_created', columnNames: ['created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('reports', 'idx_reports_created');
    await queryRunner.dropIndex('review_items', 'idx_review_items_decided');
    await queryRunner.dropTable('compliance_action_counts');
  }
}
