import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When an account last changed its jurisdiction (the day only), so that `setJurisdiction`
 * cannot be switched back and forth to read what a jurisdiction withholds
 * (docs/compliance.md, "Which jurisdictions a viewer is in").
 */
export class IdentityJurisdictionChange1795737600004 implements MigrationInterface {
  name = 'IdentityJurisdictionChange1795737600004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'accounts',
      new TableColumn({ name: 'jurisdiction_changed_at', type: 'bigint', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('accounts', 'jurisdiction_changed_at');
  }
}
