import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Idempotency tokens are now keyed per mutation and target (docs/anonymity.md, "Idempotency
 * tokens"). Tokens stored before were keyed by account and clientMutationId alone, so one value
 * reused by one member on two posts gave both the same token and linked them. They are dropped:
 * a token is only needed while a client may still retry, and a retry of a mutation sent before
 * this migration creates its post again at worst. The unique indexes stay (a token is still
 * unique per table: it names one person's one mutation on one target).
 */
export class ContentIdempotencyPerTarget1795737600300 implements MigrationInterface {
  name = 'ContentIdempotencyPerTarget1795737600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['threads', 'comments']) {
      await queryRunner.query(
        `UPDATE ${storeTable(queryRunner.connection, table)} SET idempotency_key = NULL`,
      );
    }
  }

  async down(): Promise<void> {
    // The old tokens are gone; nothing to restore.
  }
}
