import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A notification for an account (identity store). What it says and which post it is about
 * live only in `payload`, sealed with AES-256-GCM under the `notification` key (see
 * NotificationSealer), together with the exact time; `created_at` is kept to the hour. So
 * this table alone, or next to the content store, joins no account to a post.
 */
// Stored in primary-key order on SQLite: the physical order carries nothing (docs/anonymity.md).
@Entity({ name: 'notifications', withoutRowid: true })
@Index('idx_notifications_account_created', ['accountId', 'createdAt'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  /** The hour it was written in (the exact time is sealed in the payload). */
  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /**
   * SEALED_KIND: the kind is sealed in the payload, so that a mixed batch's rows cannot be
   * told apart by kind. Rows written before that keep their kind here.
   */
  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'text' })
  payload!: string;

  @TimestampColumn({ name: 'read_at', nullable: true })
  readAt!: Date | null;
}

/** `notifications.kind` of rows whose kind is sealed in their payload. */
export const SEALED_KIND = 'SEALED';
