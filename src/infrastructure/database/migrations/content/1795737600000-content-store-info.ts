import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createStoreInfo } from '../store-info';

export class ContentStoreInfo1795737600000 implements MigrationInterface {
  name = 'ContentStoreInfo1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createStoreInfo(queryRunner, 'content');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('store_info');
  }
}
