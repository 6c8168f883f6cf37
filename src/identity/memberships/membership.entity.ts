import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A verified employment. `workEmailIndex` (keyed blind index of the folded work address,
 * foldWorkAddress) is unique, so one work address verifies one account; the address itself is
 * not stored.
 */
// Stored in primary-key (random id) order on SQLite: the physical order carries nothing.
@Entity({ name: 'memberships', withoutRowid: true })
@Index('idx_memberships_account_company', ['accountId', 'companyId'], { unique: true })
@Index('idx_memberships_company_expiry', ['companyId', 'expiresAt'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId!: string;

  @Column({ name: 'work_email_index', type: 'varchar', length: 64, unique: true })
  workEmailIndex!: string;

  @TimestampColumn({ name: 'verified_at' })
  verifiedAt!: Date;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  /**
   * The UTC midnight from which it counts towards k-anonymity and board opening
   * (MEMBERSHIP_COUNTS_AFTER_DAYS after the first verification; kept on renewal).
   */
  @TimestampColumn({ name: 'counts_from' })
  countsFrom!: Date;
}
