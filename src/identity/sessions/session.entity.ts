import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/** A bearer session. The id is a keyed hash of the token; the token itself is never stored. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('idx_sessions_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
