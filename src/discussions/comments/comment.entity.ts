import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../../infrastructure/database/columns';
import type { ContentStatus } from '../content-status';

/**
 * A comment (content store). `authorToken` is the same keyed token as on the thread when the
 * thread's author comments, which is how the original poster is recognised.
 */
@Entity({ name: 'comments' })
@Index('idx_comments_thread_time', ['threadId', 'createdAt', 'id'])
@Index('idx_comments_thread_status', ['threadId', 'status', 'createdAt', 'id'])
export class CommentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId!: string | null;

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

  @Column({
    name: 'idempotency_key',
    type: 'varchar',
    length: 64,
    nullable: true,
    unique: true,
  })
  idempotencyKey!: string | null;
}
