import { Column, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../infrastructure/database/columns';
import type { ContentStatus } from './content-status';

/**
 * The columns threads and comments share (content store). The author is present only as a
 * stored handle and label, a keyed author token (same person in the same thread → same
 * token) and a sealed reference; never an account id.
 */
export abstract class PostColumns {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'author_handle', type: 'varchar', length: 64 })
  authorHandle!: string;

  @Column({ name: 'author_label', type: 'varchar', length: 200 })
  authorLabel!: string;

  @Column({ name: 'author_token', type: 'varchar', length: 64 })
  authorToken!: string;

  @Column({ name: 'sealed_ref', type: 'varchar', length: 255 })
  sealedRef!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ContentStatus;

  @CountColumn()
  score!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'edited_at', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true, unique: true })
  idempotencyKey!: string | null;
}
