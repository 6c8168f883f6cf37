import { Table, type QueryRunner } from 'typeorm';
import type { StoreName } from '../stores';

/** Shared body of the first migration of each store: the store_info table and its marker. */
export async function createStoreInfo(queryRunner: QueryRunner, store: StoreName): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: 'store_info',
      columns: [
        { name: 'key', type: 'varchar', length: '64', isPrimary: true },
        { name: 'value', type: 'varchar', length: '256' },
      ],
    }),
  );
  await queryRunner.manager
    .createQueryBuilder()
    .insert()
    .into('store_info')
    .values([
      { key: 'store', value: store },
      { key: 'created_at', value: new Date().toISOString() },
    ])
    .execute();
}
