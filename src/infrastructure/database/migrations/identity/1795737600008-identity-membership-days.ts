import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

const DAY_MS = 86_400_000;

/**
 * Memberships keep days, not milliseconds (docs/anonymity.md, "Coarse times"): the day of
 * verification, and the expiry rounded up to the next UTC midnight (never shortened).
 */
export class IdentityMembershipDays1795737600008 implements MigrationInterface {
  name = 'IdentityMembershipDays1795737600008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ${storeTable(queryRunner.connection, 'memberships')}
       SET verified_at = (verified_at / ${DAY_MS}) * ${DAY_MS},
           expires_at = ((expires_at + ${DAY_MS - 1}) / ${DAY_MS}) * ${DAY_MS}`,
    );
  }

  async down(): Promise<void> {
    // The times are gone; nothing to restore.
  }
}
