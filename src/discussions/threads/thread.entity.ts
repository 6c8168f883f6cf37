import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../../infrastructure/database/columns';
import type { ContentStatus } from '../content-status';

/**
 * A thread (content store). The author is present only as a stored handle and label, a keyed
 * author token (same person in the same thread → same token) and a sealed reference.
 */
@Entity({ name: 'threads' })
@Index('idx_threads_feed_new', ['boardId', 'status', 'createdAt', 'id'])
@Index('idx_threads_feed_top', ['boardId', 'status', 'score', 'id'])
@Index('idx_threads_feed_hot', ['boardId', 'status', 'hotRank', 'id'])
export class ThreadEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'board_id', type: 'varchar', length: 36 })
  boardId!: string;

  @Column({ type: 'varchar', length: 800 })
  title!: string;

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

  @CountColumn({ name: 'comment_count' })
  commentCount!: number;

  @Column({ name: 'hot_rank', type: 'double precision' })
  hotRank!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'edited_at', nullable: true })
  editedAt!: Date | null;

  @Column({
    name: 'idempotency_key',
    type: 'varchar',
    length: 64,
    nullable: true,
    unique: true,
  })
  idempotencyKey!: string | null;
}
