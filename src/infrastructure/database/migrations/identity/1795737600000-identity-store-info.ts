import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createStoreInfo } from '../store-info';

export class IdentityStoreInfo1795737600000 implements MigrationInterface {
  name = 'IdentityStoreInfo1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createStoreInfo(queryRunner, 'identity');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('store_info');
  }
}
