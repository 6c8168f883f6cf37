import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PUB_SUB, type PubSubEngine } from '../infrastructure/events/pub-sub.module';
import type { ModeratedContent } from './moderated-content';
import { ReviewItemEntity, type StoredReason } from './review.entity';
import { ReviewKind, ReviewStatus } from './review.model';

/** Topic of `reviewQueueChanged`. */
export const REVIEW_QUEUE_TOPIC = 'review-queue-changed';
export interface ReviewQueueEvent {
  reviewQueueChanged: ReviewItemEntity;
}

/**
 * Base priority per kind (docs/moderation.md, "Scoring"): a held post's author is waiting, an
 * appeal is a person contesting a decision, a flag is a rule's suspicion; reported items rank
 * by their weighted report score, which is added to every kind.
 */
export const BASE_PRIORITY: Record<ReviewKind, number> = {
  [ReviewKind.RULE_HOLD]: 3,
  [ReviewKind.APPEAL]: 2.5,
  [ReviewKind.RULE_FLAG]: 1,
  [ReviewKind.USER_REPORTS]: 0,
};

/** The fields of an item no moderator has decided (yet, or again). */
const UNDECIDED = {
  decision: null,
  reasonCode: null,
  note: null,
  decidedBy: null,
  decidedAt: null,
  sanctionId: null,
  sanctionKind: null,
  sanctionDays: null,
} as const;

/** A new pending item about `content`; queued at once unless it is a report item (queued past the threshold). */
export function newReviewItem(
  content: ModeratedContent,
  kind: ReviewKind,
  reasons: StoredReason[],
): ReviewItemEntity {
  const now = new Date();
  const queued = kind !== ReviewKind.USER_REPORTS;
  return {
    id: randomUUID(),
    contentId: content.id,
    contentKind: content.kind,
    threadId: content.threadId,
    boardId: content.board.id,
    boardKind: content.board.kind,
    companyId: content.board.companyId,
    jurisdiction: content.board.jurisdiction,
    kind,
    status: ReviewStatus.PENDING,
    inQueue: queued,
    priority: BASE_PRIORITY[kind],
    reportScore: 0,
    reasons,
    version: 1,
    claimedBy: null,
    claimExpiresAt: null,
    ...UNDECIDED,
    appealOf: null,
    hiddenByReports: false,
    createdAt: now,
    queuedAt: queued ? now : null,
    updatedAt: now,
  };
}

/** The fields that put a decided item back in the queue. */
export function reopenedFields(item: ReviewItemEntity): Partial<ReviewItemEntity> {
  if (item.status === ReviewStatus.PENDING) return { version: item.version + 1 };
  return {
    status: ReviewStatus.PENDING,
    ...UNDECIDED,
    inQueue: item.kind !== ReviewKind.USER_REPORTS,
    queuedAt: item.kind !== ReviewKind.USER_REPORTS ? new Date() : null,
    hiddenByReports: false,
    version: item.version + 1,
  };
}

/** Tells `reviewQueueChanged` subscribers that an item entered, changed in or left the queue. */
@Injectable()
export class ReviewQueueEvents {
  constructor(@Inject(PUB_SUB) private readonly pubSub: PubSubEngine) {}

  async changed(item: ReviewItemEntity): Promise<void> {
    const event: ReviewQueueEvent = { reviewQueueChanged: item };
    await this.pubSub.publish(REVIEW_QUEUE_TOPIC, event);
  }
}
