import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const text = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });
const instant = (name: string) => ({ name, type: 'bigint' });

/**
 * What compliance rules did to posts (content store): where each post is withheld, the
 * notices its author is shown, and the progress of retroactive applications
 * (docs/compliance.md, "Enforcement"). Nothing here names an account.
 */
export class ContentEnforcement1795737600003 implements MigrationInterface {
  name = 'ContentEnforcement1795737600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'content_withholdings',
        columns: [
          { ...ref('content_id'), isPrimary: true },
          { ...text('jurisdiction', 16), isPrimary: true },
          text('content_kind', 8),
          ref('thread_id'),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'idx_withholdings_thread',
            columnNames: ['thread_id', 'jurisdiction'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'content_notices',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          text('jurisdiction', 16),
          ref('rule_id'),
          text('rule_name', 200),
          text('action', 16),
          { name: 'legal_basis', type: 'text' },
          { name: 'explanation', type: 'text' },
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_notices_content', columnNames: ['content_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'retroactive_runs',
        columns: [
          { ...ref('rule_set_id'), isPrimary: true },
          text('jurisdiction', 16),
          text('status', 8),
          text('phase', 8),
          { ...instant('after_created_at'), isNullable: true },
          { ...ref('after_id'), isNullable: true },
          text('actor_handle', 64),
          text('actor_role', 32),
          { name: 'scanned', type: 'integer', default: 0 },
          { name: 'changed', type: 'integer', default: 0 },
          instant('started_at'),
          { ...instant('finished_at'), isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retroactive_runs');
    await queryRunner.dropTable('content_notices');
    await queryRunner.dropTable('content_withholdings');
  }
}
