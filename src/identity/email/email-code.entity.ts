import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../../infrastructure/database/columns';

/**
 * The one live code of an address (keyed by its blind index), plus that address's request
 * counter. The code is stored only as a keyed hash; it dies when used, after too many wrong
 * attempts, or when it expires.
 */
@Entity({ name: 'email_codes' })
export class EmailCodeEntity {
  @PrimaryColumn({ name: 'email_index', type: 'varchar', length: 64 })
  emailIndex!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64, nullable: true })
  codeHash!: string | null;

  @CountColumn()
  attempts!: number;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'window_started_at' })
  windowStartedAt!: Date;

  @CountColumn({ name: 'requests_in_window' })
  requestsInWindow!: number;
}
