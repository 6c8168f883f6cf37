import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BadUserInputException, NotFoundException } from '../common/errors';
import { ContentPolicy } from '../compliance/enforcement/content-policy.service';
import { ContentAction } from '../discussions/access/content-access.policy';
import { ContentAccess } from '../discussions/access/content-access.service';
import { ContentStatus } from '../posts/content-status';
import { ReporterStatsService } from '../identity/moderation/reporter-stats.service';
import { AuthorSealService } from '../identity/sealing/author-seal.service';
import { ContentTokenService } from '../identity/sealing/content-token.service';
import type { Principal } from '../infrastructure/auth/principal';
import { AppConfig } from '../infrastructure/config/app-config';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { type ModeratedContent, ModeratedContentService } from './moderated-content';
import type { ReportEntity, StoredReason } from './review.entity';
import { ReviewItemsRepository } from './review-items.repository';
import { BASE_PRIORITY, newReviewItem, ReviewQueueEvents, reopenedFields } from './review-items';
import { ReportReason, ReviewKind, ReviewStatus } from './review.model';

const DETAILS_MAX = 1000;

const REPORT_LABELS: Record<ReportReason, string> = {
  [ReportReason.HARASSMENT]: 'harassment',
  [ReportReason.PERSONAL_INFORMATION]: 'personal information',
  [ReportReason.SPAM]: 'spam',
  [ReportReason.HATE]: 'hate',
  [ReportReason.ILLEGAL]: 'illegal content',
  [ReportReason.CONFIDENTIAL_INFORMATION]: 'confidential information',
  [ReportReason.MISINFORMATION]: 'misinformation',
  [ReportReason.OTHER]: 'other',
};

/** Members' reports: weighted by the reporter's accuracy, queued and hidden past thresholds. */
@Injectable()
export class Reports {
  constructor(
    private readonly config: AppConfig,
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly access: ContentAccess,
    private readonly policy: ContentPolicy,
    private readonly tokens: ContentTokenService,
    private readonly seals: AuthorSealService,
    private readonly reporterStats: ReporterStatsService,
    private readonly queue: ReviewQueueEvents,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * `report`: a member who can read a published post reports it, once (the keyed report
   * token). Its weight is the reporter's accuracy; past REPORT_QUEUE_THRESHOLD the item enters
   * the queue, past REPORT_HIDE_THRESHOLD the post is hidden until a moderator decides.
   */
  async report(
    principal: Principal,
    contentId: string,
    reason: ReportReason,
    details: string | null | undefined,
    req: unknown,
  ): Promise<void> {
    const text = details?.normalize('NFC').trim() ?? '';
    if (text.length > DETAILS_MAX) {
      throw new BadUserInputException(`details must be at most ${DETAILS_MAX} characters.`, {
        fields: ['details'],
      });
    }
    const content = await this.reportable(principal, contentId, req);
    const [weight, reporterRef] = await Promise.all([
      this.reporterStats.weightFor(principal.accountId),
      this.seals.sealFor(principal.accountId),
    ]);
    const report: ReportEntity = {
      id: randomUUID(),
      contentId: content.id,
      reporterToken: this.tokens.token('report', principal.accountId, content.id),
      reporterRef,
      reason,
      details: text === '' ? null : text,
      weight,
      outcome: null,
      createdAt: new Date(),
    };
    const item = await this.transactions.run(CONTENT_STORE, async (manager) => {
      if (!(await this.items.insertReport(manager, report))) return null; // reported before
      const { item } = await this.items.upsertAndLock(
        manager,
        newReviewItem(content, ReviewKind.USER_REPORTS, []),
      );
      const pending = await this.items.pendingReports(manager, content.id);
      const score = pending.reduce((sum, r) => sum + r.weight, 0);
      const reopened = item.status !== ReviewStatus.PENDING;
      const now = new Date();
      const entersQueue = item.inQueue || score >= this.config.REPORT_QUEUE_THRESHOLD;
      const hide =
        score >= this.config.REPORT_HIDE_THRESHOLD && content.status === ContentStatus.PUBLISHED;
      if (hide) await this.contents.setStatus(manager, content, ContentStatus.HELD);
      Object.assign(item, reopened ? reopenedFields(item) : {}, {
        reportScore: score,
        priority: BASE_PRIORITY[ReviewKind.USER_REPORTS] + score,
        reasons: reportReasons(pending),
        inQueue: entersQueue,
        queuedAt: entersQueue ? (item.queuedAt ?? now) : null,
        hiddenByReports: item.hiddenByReports || hide,
        updatedAt: now,
      });
      await this.items.save(manager, item);
      await this.items.addEvent(
        manager,
        item.id,
        reopened ? 'reopened' : 'reported',
        null,
        REPORT_LABELS[reason],
      );
      if (hide)
        await this.items.addEvent(manager, item.id, 'hidden', null, 'hidden pending review');
      return item;
    });
    if (item?.inQueue === true) await this.queue.changed(item);
  }

  /**
   * The post, if the member may report it (ContentAccessPolicy's REPORT): published, its thread
   * visible to them, not withheld for them, and not their own (BAD_USER_INPUT).
   */
  private async reportable(
    principal: Principal,
    contentId: string,
    req: unknown,
  ): Promise<ModeratedContent> {
    const notFound = () => new NotFoundException('No post with this id that you can see.');
    const content = await this.contents.find(contentId);
    if (content === null) throw notFound();
    await this.access.assert(
      ContentAction.REPORT,
      content,
      { principal, jurisdictions: this.policy.viewerJurisdictions(principal, req as never) },
      {
        notFound,
        refused: () =>
          new BadUserInputException('You cannot report your own post.', { fields: ['contentId'] }),
      },
    );
    return content;
  }
}

function reportReasons(pending: readonly ReportEntity[]): StoredReason[] {
  const counts = new Map<string, number>();
  for (const report of pending) counts.set(report.reason, (counts.get(report.reason) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => ({
      kind: ReviewKind.USER_REPORTS,
      summary: `${count} report${count === 1 ? '' : 's'}: ${REPORT_LABELS[reason as ReportReason] ?? reason}`,
      ruleName: null,
      reportReason: reason,
      count,
    }));
}
