import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';
import type { SanctionKind } from './sanction-kind';

/**
 * A sanction on an account (identity store). Names no post, report or review item, and its
 * times are kept to the hour (see coarse-time.ts), so nothing here joins it to the content
 * store's decision. Moderation refers to it only through a sealed handle.
 */
// Stored in primary-key order on SQLite: the physical order carries nothing (docs/anonymity.md).
@Entity({ name: 'sanctions', withoutRowid: true })
export class SanctionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_sanctions_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SanctionKind;

  @Column({ name: 'reason_code', type: 'varchar', length: 64 })
  reasonCode!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** End of a SUSPENSION; null for a WARNING and for a BAN (which is permanent). */
  @TimestampColumn({ name: 'ends_at', nullable: true })
  endsAt!: Date | null;

  /** Set when an appeal against the decision was upheld. */
  @TimestampColumn({ name: 'lifted_at', nullable: true })
  liftedAt!: Date | null;
}
