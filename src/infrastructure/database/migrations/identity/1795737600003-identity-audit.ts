import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTables, dropAuditTables } from '../audit-tables';

/** The identity store's audit chain: role grants and revocations, companies, domains, scopes. */
export class IdentityAudit1795737600003 implements MigrationInterface {
  name = 'IdentityAudit1795737600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropAuditTables(queryRunner);
  }
}
