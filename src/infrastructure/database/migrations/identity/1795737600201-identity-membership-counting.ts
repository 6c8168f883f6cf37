import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

const DAY_MS = 86_400_000;

/**
 * From when a membership counts towards k-anonymity and board opening (`counts_from`, a UTC
 * midnight). Memberships verified before keep counting: theirs is the day they were verified.
 */
export class IdentityMembershipCounting1795737600201 implements MigrationInterface {
  name = 'IdentityMembershipCounting1795737600201';

  async up(queryRunner: QueryRunner): Promise<void> {
    const path = storeTable(queryRunner.connection, 'memberships');
    await queryRunner.addColumn(
      'memberships',
      new TableColumn({ name: 'counts_from', type: 'bigint', default: 0 }),
    );
    await queryRunner.query(
      `UPDATE ${path} SET counts_from = (verified_at / ${DAY_MS}) * ${DAY_MS}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('memberships', 'counts_from');
  }
}
