import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../infrastructure/database/columns';

export type BoardKindValue = 'COMPANY' | 'PUBLIC';

/** A board (content store). A company board refers to its company by id only. */
@Entity({ name: 'boards' })
export class BoardEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 80, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: BoardKindValue;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36, nullable: true, unique: true })
  companyId!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
