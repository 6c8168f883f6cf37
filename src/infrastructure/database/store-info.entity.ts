import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per key describing the store itself (`store` = identity | content, `created_at`).
 * Readiness checks read it to make sure each connection points at the right store.
 */
@Entity({ name: 'store_info' })
export class StoreInfoEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 256 })
  value!: string;
}
