import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';

const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const text = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });
const instant = (name: string) => ({ name, type: 'bigint' });
const nullable = <T extends object>(column: T) => ({ ...column, isNullable: true });

/**
 * Review items, their history and members' reports (content store, docs/moderation.md).
 * Staff appear as keyed staff tokens, reporters as keyed report tokens and sealed references:
 * nothing here names an account.
 */
export class ContentModeration1795737600004 implements MigrationInterface {
  name = 'ContentModeration1795737600004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'review_items',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          text('content_kind', 8),
          ref('thread_id'),
          ref('board_id'),
          text('board_kind', 16),
          nullable(ref('company_id')),
          text('jurisdiction', 16),
          text('kind', 16),
          text('status', 16),
          { name: 'in_queue', type: 'boolean' },
          { name: 'priority', type: 'double precision' },
          { name: 'report_score', type: 'double precision' },
          { name: 'reasons', type: 'text' },
          { name: 'version', type: 'integer' },
          nullable(text('claimed_by', 64)),
          nullable(instant('claim_expires_at')),
          nullable(text('decision', 16)),
          nullable(text('reason_code', 64)),
          { name: 'note', type: 'text', isNullable: true },
          nullable(text('decided_by', 64)),
          nullable(instant('decided_at')),
          nullable(text('sanction_id', 255)),
          nullable(ref('appeal_of')),
          { name: 'hidden_by_reports', type: 'boolean' },
          instant('created_at'),
          nullable(instant('queued_at')),
          instant('updated_at'),
        ],
        uniques: [
          new TableUnique({
            name: 'uq_review_items_content_kind',
            columnNames: ['content_id', 'kind'],
          }),
        ],
        indices: [
          new TableIndex({
            name: 'idx_review_queue_priority',
            columnNames: ['in_queue', 'status', 'priority', 'queued_at', 'id'],
          }),
          new TableIndex({
            name: 'idx_review_queue_oldest',
            columnNames: ['in_queue', 'status', 'queued_at', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'review_events',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('item_id'),
          instant('at'),
          text('action', 32),
          nullable(text('actor_handle', 64)),
          { name: 'note', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_review_events_item', columnNames: ['item_id', 'at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reports',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          text('reporter_token', 64),
          text('reporter_ref', 255),
          text('reason', 32),
          { name: 'details', type: 'text', isNullable: true },
          { name: 'weight', type: 'double precision' },
          nullable(text('outcome', 16)),
          instant('created_at'),
        ],
        uniques: [
          new TableUnique({
            name: 'uq_reports_content_reporter',
            columnNames: ['content_id', 'reporter_token'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('reports');
    await queryRunner.dropTable('review_events');
    await queryRunner.dropTable('review_items');
  }
}
