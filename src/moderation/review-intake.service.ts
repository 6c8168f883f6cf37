import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import type { ReviewRequested } from '../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../infrastructure/events/domain-events';
import { ModeratedContentService } from './moderated-content';
import type { StoredReason } from './review.entity';
import { ReviewItemsRepository } from './review-items.repository';
import { newReviewItem, ReviewQueueEvents, reopenedFields } from './review-items';
import { ReviewKind, ReviewStatus } from './review.model';

/** Items from rules: the `review.requested` domain event (a HOLD or FLAG rule acted on a post). */
@Injectable()
export class ReviewIntake implements OnModuleInit {
  constructor(
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly events: DomainEvents,
    private readonly queue: ReviewQueueEvents,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Review requests come from the outbox (`review.requested`), delivered after the post's
   * transaction committed and retried until the item is stored, also after a restart.
   */
  onModuleInit(): void {
    this.events.handle('review.requested', 'moderation.review-item', (request) =>
      this.fromRule(request),
    );
  }

  /**
   * A HOLD or FLAG rule acted on a post: its item is created, or reopened, in the queue. A
   * request delivered twice (at-least-once delivery) updates the pending item again.
   */
  async fromRule(request: ReviewRequested): Promise<void> {
    const content = await this.contents.find(request.contentId);
    if (content === null) return;
    const kind = request.kind === 'RULE_HOLD' ? ReviewKind.RULE_HOLD : ReviewKind.RULE_FLAG;
    const reasons: StoredReason[] = request.notices.map((notice) => ({
      kind,
      // A notice of the author's jurisdiction comes without it (ContentPolicy.keptNotice).
      summary:
        notice.jurisdiction === ''
          ? notice.explanation
          : `${notice.jurisdiction}: ${notice.explanation}`,
      ruleName: notice.ruleName,
      reportReason: null,
      count: 1,
    }));
    const item = await this.transactions.run(CONTENT_STORE, async (manager) => {
      const { item, created } = await this.items.upsertAndLock(
        manager,
        newReviewItem(content, kind, reasons),
      );
      if (created) {
        await this.items.addEvent(manager, item.id, 'created', null, request.summary);
        return item;
      }
      const reopened = item.status !== ReviewStatus.PENDING;
      Object.assign(item, reopenedFields(item), { reasons, updatedAt: new Date() });
      await this.items.save(manager, item);
      await this.items.addEvent(
        manager,
        item.id,
        reopened ? 'reopened' : 'updated',
        null,
        request.summary,
      );
      return item;
    });
    await this.queue.changed(item);
  }
}
