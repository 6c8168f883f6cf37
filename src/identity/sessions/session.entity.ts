import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A bearer session. The id is a keyed hash of the token; the token itself is never stored.
 * No creation time, and the expiry only to the day: a row must not say when its account
 * signed in, or "the session opened just before this thread" would name the author. On
 * SQLite the table has no rowid, so the order rows sit in follows the random key, not time.
 */
@Entity({ name: 'sessions', withoutRowid: true })
export class SessionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('idx_sessions_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  /** UTC midnight after SESSION_TTL_DAYS (rounded up, never shortening the session). */
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
