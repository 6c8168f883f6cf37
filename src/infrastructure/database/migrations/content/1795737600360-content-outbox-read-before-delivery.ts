import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Marks the outbox rows read before delivery (`DomainEvents.pending`: a pending restricting
 * sanction binds at once), so that reading them no longer reads and parses every event
 * waiting in a mixing window; and indexes leases (`claimed_until`), so that finding the next
 * due row no longer walks those events either (OutboxDispatcher.nextDue). Plain `ADD COLUMN`
 * on both databases. Rows already pending are marked when they are identity effects (a
 * superset of those that bind), so nothing decided before the upgrade stops binding.
 */
export class ContentOutboxReadBeforeDelivery1795737600360 implements MigrationInterface {
  name = 'ContentOutboxReadBeforeDelivery1795737600360';

  async up(queryRunner: QueryRunner): Promise<void> {
    const outbox = storeTable(queryRunner.connection, 'outbox_events');
    await queryRunner.query(
      `ALTER TABLE ${outbox} ADD COLUMN read_before_delivery boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `UPDATE ${outbox} SET read_before_delivery = true WHERE type = 'identity.effects'`,
    );
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({
        name: 'idx_outbox_read_before_delivery',
        columnNames: ['read_before_delivery', 'type'],
      }),
    );
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({ name: 'idx_outbox_claimed', columnNames: ['claimed_until'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox_events', 'idx_outbox_claimed');
    await queryRunner.dropIndex('outbox_events', 'idx_outbox_read_before_delivery');
    const outbox = storeTable(queryRunner.connection, 'outbox_events');
    await queryRunner.query(`ALTER TABLE ${outbox} DROP COLUMN read_before_delivery`);
  }
}
