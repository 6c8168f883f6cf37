import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const instant = (name: string) => ({ name, type: 'bigint' });

/**
 * The content store's outbox of domain events (docs/architecture.md, "Domain events"): one
 * row per pending delivery of an event to a handler, written in the transaction of the change
 * and deleted once the handler succeeded. Random ids, no creation time, payloads without
 * anything that names a person.
 */
export class ContentOutbox1795737600008 implements MigrationInterface {
  name = 'ContentOutbox1795737600008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'handler', type: 'varchar', length: '64' },
          { name: 'payload', type: 'text' },
          instant('not_before'),
          { name: 'attempts', type: 'integer', default: 0 },
          { ...instant('claimed_until'), isNullable: true },
          { ...instant('failed_at'), isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_outbox_due', columnNames: ['not_before', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_events');
  }
}
