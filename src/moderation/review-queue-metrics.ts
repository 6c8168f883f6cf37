import { Injectable } from '@nestjs/common';
import { MetricsService, type ReviewQueueBacklog } from '../infrastructure/metrics/metrics.service';
import { ReviewKind } from './review-enums';
import { ReviewItemsRepository } from './review-items.repository';

const MINUTE_MS = 60_000;

/**
 * Shows the review queue in `review_queue_items{kind}` and `review_queue_oldest_age_seconds{kind}`,
 * read from the content store at each scrape (the same figures on every instance).
 *
 * The age is counted in whole minutes between the minute the oldest item was queued and the
 * current minute, both on the clock's minute grid: the gauge steps when the clock's minute
 * turns, not a set time after the item was queued, so a series of scrapes dates the queuing
 * no finer than the minute, the precision the API shows post times at (docs/anonymity.md,
 * "Metrics").
 */
@Injectable()
export class ReviewQueueMetrics {
  constructor(items: ReviewItemsRepository, metrics: MetricsService) {
    metrics.watchReviewQueue(async () => backlogOf(await items.queueBacklog(), Date.now()));
  }
}

/** Every kind, with 0 for those nobody waits in. */
export function backlogOf(
  rows: ReadonlyArray<{ kind: ReviewKind; pending: number; oldest: number }>,
  now: number,
): ReviewQueueBacklog[] {
  return Object.values(ReviewKind).map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    if (row === undefined || row.pending === 0) return { kind, pending: 0, oldestAgeSeconds: 0 };
    const minutes = Math.floor(now / MINUTE_MS) - Math.floor(row.oldest / MINUTE_MS);
    return { kind, pending: row.pending, oldestAgeSeconds: Math.max(0, minutes) * 60 };
  });
}
