import { roundToMinute } from '../common/time';
import type { BoardKind } from '../boards/board.model';
import type { ReviewEventEntity, ReviewItemEntity } from './review.entity';
import type { ReportReason, ReviewEvent, ReviewItem } from './review.model';

export function toReviewItemModel(item: ReviewItemEntity): ReviewItem {
  return {
    id: item.id,
    contentId: item.contentId,
    contentKind: item.contentKind,
    kind: item.kind,
    status: item.status,
    priority: Math.round(item.priority * 1000) / 1000,
    reasons: item.reasons.map((reason) => ({
      kind: reason.kind,
      summary: reason.summary,
      ruleName: reason.ruleName,
      reportReason: reason.reportReason as ReportReason | null,
      count: reason.count,
    })),
    version: item.version,
    claimedBy: item.claimedBy,
    claimExpiresAt: item.claimExpiresAt,
    createdAt: roundToMinute(item.createdAt),
    boardKind: item.boardKind as BoardKind,
    jurisdiction: item.jurisdiction,
    decision: item.decision,
    reasonCode: item.reasonCode,
    appealOfId: item.appealOf,
    enteredQueueAt: roundToMinute(item.queuedAt ?? item.createdAt),
  };
}

export function toReviewEventModel(event: ReviewEventEntity): ReviewEvent {
  return {
    at: roundToMinute(event.at),
    action: event.action,
    actorHandle: event.actorHandle,
    note: event.note,
  };
}
