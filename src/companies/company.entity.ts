import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../infrastructure/database/columns';

@Entity({ name: 'companies' })
export class CompanyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 80 })
  industry!: string;

  @Column({ name: 'size_band', type: 'varchar', length: 32 })
  sizeBand!: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
