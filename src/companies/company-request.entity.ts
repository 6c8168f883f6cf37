import { Entity, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../infrastructure/database/columns';

/**
 * An unknown work domain someone tried to verify with, for admins to review. Only the domain
 * and counts: no account, no address.
 */
@Entity({ name: 'company_requests' })
export class CompanyRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain!: string;

  @CountColumn()
  attempts!: number;

  @TimestampColumn({ name: 'first_seen_at' })
  firstSeenAt!: Date;

  @TimestampColumn({ name: 'last_seen_at' })
  lastSeenAt!: Date;
}
