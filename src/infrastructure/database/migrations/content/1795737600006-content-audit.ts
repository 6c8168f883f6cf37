import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTables, dropAuditTables } from '../audit-tables';

/** The content store's audit chain: rule sets, reviews, sanctions, appeals, retroactive runs. */
export class ContentAudit1795737600006 implements MigrationInterface {
  name = 'ContentAudit1795737600006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropAuditTables(queryRunner);
  }
}
