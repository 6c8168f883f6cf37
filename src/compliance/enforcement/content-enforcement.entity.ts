import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../../infrastructure/database/columns';

import type { PostKind } from '../../posts/content-withholding.entity';

export type { PostKind };

/**
 * Why a rule acted on a post: shown to its author and to staff, never to other readers. The
 * rule's name, legal basis and explanation are copied, so the statement of reasons stays as it
 * was when the rule acted even after the rule set changes.
 */
@Entity({ name: 'content_notices' })
@Index('idx_notices_content', ['contentId'])
export class ContentNoticeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'content_id', type: 'varchar', length: 36 })
  contentId!: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @Column({ name: 'rule_id', type: 'varchar', length: 36 })
  ruleId!: string;

  @Column({ name: 'rule_name', type: 'varchar', length: 200 })
  ruleName!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ type: 'text' })
  explanation!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}

/**
 * Progress of one retroactive application of a published rule set version: threads first,
 * then comments, each walked in (created_at, id) order. The position is saved after every
 * batch, so a restarted server resumes where it stopped.
 */
@Entity({ name: 'retroactive_runs' })
export class RetroactiveRunEntity {
  @PrimaryColumn({ name: 'rule_set_id', type: 'varchar', length: 36 })
  ruleSetId!: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  /** RUNNING, DONE (every post scanned) or FAILED (stopped by an error; resumed at the next start). */
  @Column({ type: 'varchar', length: 8 })
  status!: 'RUNNING' | 'DONE' | 'FAILED';

  /** Which table is being walked. */
  @Column({ type: 'varchar', length: 8 })
  phase!: PostKind;

  @TimestampColumn({ name: 'after_created_at', nullable: true })
  afterCreatedAt!: Date | null;

  @Column({ name: 'after_id', type: 'varchar', length: 36, nullable: true })
  afterId!: string | null;

  /** The publishing officer (staff handle and role), named by the run's audit entries. */
  @Column({ name: 'actor_handle', type: 'varchar', length: 64 })
  actorHandle!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 32 })
  actorRole!: string;

  @CountColumn()
  scanned!: number;

  @CountColumn()
  changed!: number;

  @TimestampColumn({ name: 'started_at' })
  startedAt!: Date;

  @TimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
