import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Accounts keep the day they were created, not the millisecond (docs/anonymity.md, "Coarse
 * times"): a sign-up timed exactly, next to a first post a minute later, names the author.
 */
export class IdentityAccountDays1795737600007 implements MigrationInterface {
  name = 'IdentityAccountDays1795737600007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ${storeTable(queryRunner.connection, 'accounts')} SET created_at = (created_at / 86400000) * 86400000`,
    );
  }

  async down(): Promise<void> {
    // The times are gone; nothing to restore.
  }
}
