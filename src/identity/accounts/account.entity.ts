import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A person's account (identity store). No email: only the keyed blind index. `sealId` is the
 * random value sealed into content rows so moderation can reach the author; deleting the row
 * leaves those sealed references pointing at nothing.
 */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'email_index', type: 'varchar', length: 64, unique: true })
  emailIndex!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @Column({ name: 'seal_id', type: 'varchar', length: 36, unique: true })
  sealId!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** The day (UTC midnight) the jurisdiction was last changed; null if never. */
  @TimestampColumn({ name: 'jurisdiction_changed_at', nullable: true })
  jurisdictionChangedAt!: Date | null;

  /**
   * The day (UTC midnight) the password was last changed or reset; null if never. Only for
   * re-stamping recent rows on PostgreSQL (IdentityRestamp).
   */
  @TimestampColumn({ name: 'password_changed_at', nullable: true })
  passwordChangedAt?: Date | null;
}
