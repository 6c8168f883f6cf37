import { Column, Entity, Index } from 'typeorm';
import { CountColumn, FractionColumn } from '../infrastructure/database/columns';
import { PostColumns } from './post-columns';

/** A thread (content store): a board, a title, and the columns every post has. */
@Entity({ name: 'threads' })
@Index('idx_threads_feed_new', ['boardId', 'status', 'createdAt', 'id'])
@Index('idx_threads_feed_top', ['boardId', 'status', 'score', 'id'])
@Index('idx_threads_feed_hot', ['boardId', 'status', 'hotRank', 'id'])
@Index('idx_threads_status_time', ['status', 'createdAt', 'id'])
export class ThreadEntity extends PostColumns {
  @Column({ name: 'board_id', type: 'varchar', length: 36 })
  boardId!: string;

  @Column({ type: 'varchar', length: 800 })
  title!: string;

  @CountColumn({ name: 'comment_count' })
  commentCount!: number;

  @FractionColumn({ name: 'hot_rank' })
  hotRank!: number;
}
