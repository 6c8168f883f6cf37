import { Injectable } from '@nestjs/common';
import { AuditTrail, MEMBER_ACTOR } from '../audit/audit-trail.service';
import { BadUserInputException, NotFoundException } from '../common/errors';
import { ContentAccess } from '../discussions/access/content-access.service';
import type { Principal } from '../infrastructure/auth/principal';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { ModeratedContentService } from './moderated-content';
import type { ReviewItemEntity } from './review.entity';
import { ReviewConflictException, ReviewConflictReason } from './review-conflict';
import { ReviewItemsRepository } from './review-items.repository';
import { newReviewItem, ReviewQueueEvents } from './review-items';
import { ReviewKind } from './review.model';

const STATEMENT_MAX = 2000;

/** Authors' appeals of a removal: once per decision, reviewed by another moderator. */
@Injectable()
export class Appeals {
  constructor(
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly access: ContentAccess,
    private readonly audit: AuditTrail,
    private readonly queue: ReviewQueueEvents,
    private readonly transactions: TransactionRunner,
  ) {}

  /** `appeal`: the author contests the removal of their post, once; a new APPEAL item. */
  async appeal(principal: Principal, contentId: string, statement: string): Promise<void> {
    const text = statement.normalize('NFC').trim();
    if (text.length === 0 || text.length > STATEMENT_MAX) {
      throw new BadUserInputException(`statement must be 1 to ${STATEMENT_MAX} characters.`, {
        fields: ['statement'],
      });
    }
    const content = await this.contents.find(contentId);
    if (content === null || !this.access.wrotePost(principal, content)) {
      throw new NotFoundException('No post of yours with this id.');
    }
    const item = await this.transactions.run(CONTENT_STORE, async (manager) => {
      const removal = await this.items.lastRemoval(content.id, manager);
      if (removal === null) {
        throw new BadUserInputException('There is no decision on this post to appeal.', {
          fields: ['contentId'],
        });
      }
      const fresh: ReviewItemEntity = {
        ...newReviewItem(content, ReviewKind.APPEAL, [
          { kind: ReviewKind.APPEAL, summary: text, ruleName: null, reportReason: null, count: 1 },
        ]),
        appealOf: removal.id,
      };
      const { item, created } = await this.items.upsertAndLock(manager, fresh);
      if (!created)
        throw new ReviewConflictException(
          'This decision has already been appealed.',
          ReviewConflictReason.ALREADY_APPEALED,
        );
      await this.items.addEvent(manager, item.id, 'appealed', null, text);
      await this.audit.record(manager, {
        actor: MEMBER_ACTOR,
        action: 'review.appeal',
        subject: `review:${item.id}`,
        detail: { appealOf: removal.id, content: `${content.kind.toLowerCase()}:${content.id}` },
      });
      return item;
    });
    await this.queue.changed(item);
  }
}
