import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../infrastructure/database/columns';

/** Which kind of post a compliance record is about. */
export type PostKind = 'THREAD' | 'COMMENT';

/**
 * A post withheld in one jurisdiction (SPEC §4: absent for viewers there, everywhere).
 * `thread_id` is the post's thread (the thread itself for a thread), so comment counts can be
 * corrected per thread in one query.
 */
@Entity({ name: 'content_withholdings' })
@Index('idx_withholdings_thread', ['threadId', 'jurisdiction'])
export class ContentWithholdingEntity {
  @PrimaryColumn({ name: 'content_id', type: 'varchar', length: 36 })
  contentId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @Column({ name: 'content_kind', type: 'varchar', length: 8 })
  contentKind!: PostKind;

  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
