import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import {
  CountColumn,
  FractionColumn,
  JsonColumn,
  TimestampColumn,
} from '../infrastructure/database/columns';
import type { ReviewDecision, ReviewKind, ReviewStatus } from './review-enums';

export type ReviewContentKind = 'THREAD' | 'COMMENT';

/** One reason an item is in the queue (contract `ReviewReason`). */
export interface StoredReason {
  kind: ReviewKind;
  summary: string;
  ruleName: string | null;
  reportReason: string | null;
  count: number;
}

/**
 * A piece of content needing review, one per (content, kind) (SPEC §5): a re-report, a
 * re-flag or a second hold reopens the same row. Where the content is (board, company,
 * jurisdiction) is copied so that queues filter without joins. Staff appear only as keyed
 * staff tokens; authors and reporters not at all.
 */
@Entity({ name: 'review_items' })
@Unique('uq_review_items_content_kind', ['contentId', 'kind'])
@Index('idx_review_queue_priority', ['inQueue', 'status', 'priority', 'queuedAt', 'id'])
@Index('idx_review_queue_oldest', ['inQueue', 'status', 'queuedAt', 'id'])
@Index('idx_review_items_decided', ['decidedAt'])
export class ReviewItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'content_id', type: 'varchar', length: 36 })
  contentId!: string;

  @Column({ name: 'content_kind', type: 'varchar', length: 8 })
  contentKind!: ReviewContentKind;

  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @Column({ name: 'board_id', type: 'varchar', length: 36 })
  boardId!: string;

  @Column({ name: 'board_kind', type: 'varchar', length: 16 })
  boardKind!: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36, nullable: true })
  companyId!: string | null;

  /** The board's jurisdiction. */
  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ReviewKind;

  @Column({ type: 'varchar', length: 16 })
  status!: ReviewStatus;

  /** In the moderators' queue (reports only get there past the threshold). */
  @Column({ name: 'in_queue', type: 'boolean' })
  inQueue!: boolean;

  @FractionColumn()
  priority!: number;

  /** Sum of the weights of the reports not yet decided. */
  @FractionColumn({ name: 'report_score' })
  reportScore!: number;

  @JsonColumn()
  reasons!: StoredReason[];

  @CountColumn()
  version!: number;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @TimestampColumn({ name: 'claim_expires_at', nullable: true })
  claimExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision!: ReviewDecision | null;

  @Column({ name: 'reason_code', type: 'varchar', length: 64, nullable: true })
  reasonCode!: string | null;

  /** The moderator's note to the author (statement of reasons). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 64, nullable: true })
  decidedBy!: string | null;

  @TimestampColumn({ name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  /** The sanction the decision applied (an opaque handle from the identity module), to lift it on appeal. */
  @Column({ name: 'sanction_id', type: 'varchar', length: 255, nullable: true })
  sanctionId!: string | null;

  /** The sanction the decision applied (kind, and days for a suspension); shown on its appeal. */
  @Column({ name: 'sanction_kind', type: 'varchar', length: 16, nullable: true })
  sanctionKind!: string | null;

  @Column({ name: 'sanction_days', type: 'integer', nullable: true })
  sanctionDays!: number | null;

  /** APPEAL items: the item whose decision is appealed. */
  @Column({ name: 'appeal_of', type: 'varchar', length: 36, nullable: true })
  appealOf!: string | null;

  /** Reports hid the content pending review (restored if the reports are not upheld). */
  @Column({ name: 'hidden_by_reports', type: 'boolean' })
  hiddenByReports!: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'queued_at', nullable: true })
  queuedAt!: Date | null;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** The append-only history of an item. */
@Entity({ name: 'review_events' })
@Index('idx_review_events_item', ['itemId', 'at'])
export class ReviewEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'item_id', type: 'varchar', length: 36 })
  itemId!: string;

  @TimestampColumn()
  at!: Date;

  @Column({ type: 'varchar', length: 32 })
  action!: string;

  /** A staff handle; null for what members and rules did. */
  @Column({ name: 'actor_handle', type: 'varchar', length: 64, nullable: true })
  actorHandle!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}

/**
 * A member's report of a post: one per person per post (the keyed report token), with its
 * weight when made and a sealed reference to the reporter (to tell them the outcome and keep
 * their accuracy), never an account id.
 */
@Entity({ name: 'reports' })
@Unique('uq_reports_content_reporter', ['contentId', 'reporterToken'])
@Index('idx_reports_created', ['createdAt'])
export class ReportEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'content_id', type: 'varchar', length: 36 })
  contentId!: string;

  @Column({ name: 'reporter_token', type: 'varchar', length: 64 })
  reporterToken!: string;

  @Column({ name: 'reporter_ref', type: 'varchar', length: 255 })
  reporterRef!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'text', nullable: true })
  details!: string | null;

  @FractionColumn()
  weight!: number;

  /** UPHELD or REJECTED once a moderator decided; null while pending. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
