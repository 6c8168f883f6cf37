import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Which handle each author carries in a thread (content store): one row per person per thread,
 * written in the transaction of their first post there. The key (thread, handle) makes handles
 * unique within a thread — two first posts racing for one handle cannot both get it — and
 * (thread, author token) gives a person the handle they already carry. It holds only what the
 * thread's posts already hold (their thread, author handle and author token), and no time.
 */
@Entity({ name: 'thread_handles' })
@Index('idx_thread_handles_author', ['threadId', 'authorToken'], { unique: true })
export class ThreadHandleEntity {
  @PrimaryColumn({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  handle!: string;

  @Column({ name: 'author_token', type: 'varchar', length: 64 })
  authorToken!: string;
}
