import { Column, Entity, Index } from 'typeorm';
import { PostColumns } from './post-columns';

/**
 * A comment (content store). `authorToken` is the same keyed token as on the thread when the
 * thread's author comments, which is how the original poster is recognised.
 */
@Entity({ name: 'comments' })
@Index('idx_comments_thread_time', ['threadId', 'createdAt', 'id'])
@Index('idx_comments_thread_status', ['threadId', 'status', 'createdAt', 'id'])
@Index('idx_comments_status_time', ['status', 'createdAt', 'id'])
export class CommentEntity extends PostColumns {
  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId!: string | null;
}
