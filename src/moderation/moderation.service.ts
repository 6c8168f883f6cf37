import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail, MEMBER_ACTOR } from '../audit/audit-trail.service';
import {
  BadUserInputException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/errors';
import { ContentPolicy } from '../compliance/enforcement/content-policy.service';
import { ContentStatus } from '../discussions/content-status';
import { ContentAccess } from '../discussions/access/content-access.service';
import { ContentAction } from '../discussions/access/content-access.policy';
import { NotificationsService } from '../identity/moderation/notifications.service';
import { ModeratorScopesService } from '../identity/moderation/moderator-scopes.service';
import { ReporterStatsService } from '../identity/moderation/reporter-stats.service';
import { SanctionKind } from '../identity/moderation/sanction-kind';
import { SanctionsService } from '../identity/moderation/sanctions.service';
import { AuthorSealService } from '../identity/sealing/author-seal.service';
import { ContentTokenService } from '../identity/sealing/content-token.service';
import { StaffTokenService } from '../identity/sealing/staff-token.service';
import { PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import type { Principal } from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import { AppConfig } from '../infrastructure/config/app-config';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import type { ReviewRequested } from '../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../infrastructure/events/domain-events';
import { PUB_SUB, type PubSubEngine } from '../infrastructure/events/pub-sub.module';
import { type ModeratedContent, ModeratedContentService } from './moderated-content';
import { reasonCode } from './reason-codes';
import { type ReportEntity, ReviewItemEntity, type StoredReason } from './review.entity';
import { ReviewItemsRepository } from './review-items.repository';
import {
  type DecideReviewItemInput,
  ReportReason,
  ReviewDecision,
  ReviewKind,
  ReviewStatus,
} from './review.model';

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
const BASE_PRIORITY: Record<ReviewKind, number> = {
  [ReviewKind.RULE_HOLD]: 3,
  [ReviewKind.APPEAL]: 2.5,
  [ReviewKind.RULE_FLAG]: 1,
  [ReviewKind.USER_REPORTS]: 0,
};
const DETAILS_MAX = 1000;
const STATEMENT_MAX = 2000;

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

/** What has to happen outside the content transaction once it committed. */
interface AfterDecision {
  item: ReviewItemEntity;
  content: ModeratedContent;
  reports: ReportEntity[];
  upheld: boolean | null;
  authorMessage: string | null;
  liftSanction: string | null;
}

/**
 * Moderation (SPEC §5): review items from rules, reports and appeals; claims and decisions
 * with optimistic locking; sanctions and notifications through the identity module, which
 * opens sealed references without ever handing an account to this module.
 */
@Injectable()
export class ModerationService implements OnModuleInit {
  private readonly logger = new Logger(ModerationService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly access: ContentAccess,
    private readonly policy: ContentPolicy,
    private readonly events: DomainEvents,
    private readonly tokens: ContentTokenService,
    private readonly seals: AuthorSealService,
    private readonly staffTokens: StaffTokenService,
    private readonly pseudonyms: PseudonymService,
    private readonly sanctions: SanctionsService,
    private readonly notifications: NotificationsService,
    private readonly reporterStats: ReporterStatsService,
    private readonly scopes: ModeratorScopesService,
    private readonly audit: AuditTrail,
    private readonly transactions: TransactionRunner,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
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
      summary: `${notice.jurisdiction}: ${notice.explanation}`,
      ruleName: notice.ruleName,
      reportReason: null,
      count: 1,
    }));
    const item = await this.transactions.run(CONTENT_STORE, async (manager) => {
      const { item, created } = await this.items.upsertAndLock(
        manager,
        this.newItem(content, kind, reasons),
      );
      if (created) {
        await this.items.addEvent(manager, item.id, 'created', null, request.summary);
        return item;
      }
      const reopened = item.status !== ReviewStatus.PENDING;
      Object.assign(item, this.reopen(item), { reasons, updatedAt: new Date() });
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
    await this.changed(item);
  }

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
        this.newItem(content, ReviewKind.USER_REPORTS, []),
      );
      const pending = await this.items.pendingReports(manager, content.id);
      const score = pending.reduce((sum, r) => sum + r.weight, 0);
      const reopened = item.status !== ReviewStatus.PENDING;
      const now = new Date();
      const entersQueue = item.inQueue || score >= this.config.REPORT_QUEUE_THRESHOLD;
      const hide =
        score >= this.config.REPORT_HIDE_THRESHOLD && content.status === ContentStatus.PUBLISHED;
      if (hide) await this.contents.setStatus(manager, content, ContentStatus.HELD);
      Object.assign(item, reopened ? this.reopen(item) : {}, {
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
    if (item?.inQueue === true) await this.changed(item);
  }

  /** `appeal`: the author contests the removal of their post, once; a new APPEAL item. */
  async appeal(principal: Principal, contentId: string, statement: string): Promise<void> {
    const text = statement.normalize('NFC').trim();
    if (text.length === 0 || text.length > STATEMENT_MAX) {
      throw new BadUserInputException(`statement must be 1 to ${STATEMENT_MAX} characters.`, {
        fields: ['statement'],
      });
    }
    const content = await this.contents.find(contentId);
    if (content === null || !this.isAuthor(principal, content)) {
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
        ...this.newItem(content, ReviewKind.APPEAL, [
          { kind: ReviewKind.APPEAL, summary: text, ruleName: null, reportReason: null, count: 1 },
        ]),
        appealOf: removal.id,
      };
      const { item, created } = await this.items.upsertAndLock(manager, fresh);
      if (!created) throw new ConflictException('This decision has already been appealed.');
      await this.items.addEvent(manager, item.id, 'appealed', null, text);
      await this.audit.record(manager, {
        actor: MEMBER_ACTOR,
        action: 'review.appeal',
        subject: `review:${item.id}`,
        detail: { appealOf: removal.id, content: `${content.kind.toLowerCase()}:${content.id}` },
      });
      return item;
    });
    await this.changed(item);
  }

  /** `claimReviewItem`: reserves the item for REVIEW_CLAIM_MINUTES. */
  async claim(principal: Principal, id: string, version: number): Promise<ReviewItemEntity> {
    const me = this.staffTokens.token(principal.accountId);
    const item = await this.transactions.run(CONTENT_STORE, async (manager) => {
      const item = await this.lockedCurrent(manager, id, version, me);
      await this.assertMayReview(manager, item, principal);
      const now = new Date();
      Object.assign(item, {
        claimedBy: me,
        claimExpiresAt: new Date(now.getTime() + this.config.REVIEW_CLAIM_MINUTES * 60_000),
        version: item.version + 1,
        updatedAt: now,
      });
      await this.items.save(manager, item);
      await this.items.addEvent(manager, item.id, 'claimed', this.handle(principal));
      return item;
    });
    await this.changed(item);
    return item;
  }

  /**
   * `decideReviewItem` (docs/moderation.md): approve, reject with a reason code and a note,
   * or ignore; optionally sanction the author. The item and the post change in one
   * transaction with its audit entries; sanctions, notifications and reporters' accuracy are
   * identity-store effects that follow once it has committed.
   */
  async decide(principal: Principal, input: DecideReviewItemInput): Promise<ReviewItemEntity> {
    const code = input.reasonCode?.trim() || null;
    const note = input.note?.normalize('NFC').trim() || null;
    const reason = code === null ? undefined : reasonCode(code);
    if (code !== null && reason === undefined) {
      throw new BadUserInputException(
        `Unknown reason code "${code.slice(0, 64)}" (see reasonCodes).`,
        {
          fields: ['reasonCode'],
        },
      );
    }
    if (input.decision === ReviewDecision.REJECT && reason === undefined) {
      throw new BadUserInputException('A rejection needs a reasonCode (see reasonCodes).', {
        fields: ['reasonCode'],
      });
    }
    const sanction = input.sanction ?? null;
    if (sanction !== null && input.decision !== ReviewDecision.REJECT) {
      throw new BadUserInputException('A sanction goes with a rejection only.', {
        fields: ['sanction'],
      });
    }
    if (sanction?.kind === SanctionKind.SUSPENSION && (sanction.days ?? null) === null) {
      throw new BadUserInputException('A suspension needs days (1–3650).', {
        fields: ['sanction.days'],
      });
    }
    const me = this.staffTokens.token(principal.accountId);
    const actor = { handle: this.handle(principal), role: Role.MODERATOR };

    const after = await this.transactions.run(
      CONTENT_STORE,
      async (manager): Promise<AfterDecision> => {
        const item = await this.lockedCurrent(manager, input.id, input.version, me);
        const content = await this.assertMayReview(manager, item, principal);
        const kind = item.kind;
        if (
          input.decision === ReviewDecision.IGNORE &&
          (kind === ReviewKind.RULE_HOLD || kind === ReviewKind.APPEAL)
        ) {
          throw new BadUserInputException(
            'Approve or reject a held post or an appeal; IGNORE dismisses reports and flags.',
            {
              fields: ['decision'],
            },
          );
        }
        const effects = await this.applyDecision(manager, item, content, input.decision);
        const reports =
          kind === ReviewKind.USER_REPORTS
            ? await this.items.pendingReports(manager, content.id)
            : [];
        const upheld = reports.length === 0 ? null : input.decision === ReviewDecision.REJECT;
        if (upheld !== null) {
          await this.items.settleReports(
            manager,
            reports.map((r) => r.id),
            upheld ? 'UPHELD' : 'REJECTED',
          );
        }
        const now = new Date();
        Object.assign(item, {
          status: STATUS_OF[input.decision],
          decision: input.decision,
          reasonCode: code,
          note,
          decidedBy: me,
          decidedAt: now,
          claimedBy: null,
          claimExpiresAt: null,
          inQueue: false,
          reportScore: 0,
          version: item.version + 1,
          updatedAt: now,
        });
        await this.items.save(manager, item);
        await this.items.addEvent(
          manager,
          item.id,
          `decided: ${input.decision}`,
          actor.handle,
          note,
        );
        await this.audit.record(manager, {
          actor,
          action: 'review.decide',
          subject: `review:${item.id}`,
          detail: {
            kind: item.kind,
            content: `${content.kind.toLowerCase()}:${content.id}`,
            decision: input.decision,
            reasonCode: code,
            sanction,
          },
        });
        return {
          item,
          content,
          reports,
          upheld,
          authorMessage: this.statementOfReasons(kind, input.decision, reason?.label ?? null, note),
          liftSanction: effects.liftSanction,
        };
      },
    );

    await this.afterDecision(after, sanction, code, actor);
    await this.changed(after.item);
    return after.item;
  }

  /** The item, locked, at `version`, pending, and not claimed by someone else. */
  private async lockedCurrent(
    manager: EntityManager,
    id: string,
    version: number,
    me: string,
  ): Promise<ReviewItemEntity> {
    const item = await this.items.lockById(manager, id);
    if (item === null) throw new NotFoundException('No such review item.');
    if (item.version !== version) {
      throw new ConflictException('This item has changed since you loaded it; reload it.', {
        reason: 'STALE_VERSION',
        currentVersion: item.version,
      });
    }
    if (item.status !== ReviewStatus.PENDING) {
      throw new ConflictException('This item has already been decided.', { reason: 'DECIDED' });
    }
    const claimedByOther =
      item.claimedBy !== null &&
      item.claimedBy !== me &&
      (item.claimExpiresAt?.getTime() ?? 0) > Date.now();
    if (claimedByOther) {
      throw new ConflictException('Another moderator has claimed this item.', {
        reason: 'CLAIMED',
        claimExpiresAt: item.claimExpiresAt?.toISOString(),
      });
    }
    return item;
  }

  /**
   * Who may claim or decide an item: a moderator within their scope (when an admin scoped
   * them to a company's board), who is not the post's author, and — for an appeal — who did
   * not make the decision under appeal. Returns the post.
   */
  private async assertMayReview(
    manager: EntityManager,
    item: ReviewItemEntity,
    principal: Principal,
  ): Promise<ModeratedContent> {
    const scope = await this.scopes.scopeOf(principal.accountId);
    if (scope !== null && item.companyId !== scope) {
      throw new ForbiddenException('You moderate one company’s board only.');
    }
    const content = await this.contents.find(item.contentId, manager);
    if (content === null) {
      throw new NotFoundException('The content of this item no longer exists.');
    }
    if (this.isAuthor(principal, content)) {
      throw new ForbiddenException('You cannot review your own post; another moderator will.');
    }
    if (item.kind !== ReviewKind.APPEAL || item.appealOf === null) return content;
    const appealed = await this.items.findById(item.appealOf, manager);
    if (
      appealed?.decidedBy != null &&
      this.staffTokens.matches(principal.accountId, appealed.decidedBy)
    ) {
      throw new ForbiddenException(
        'You made the decision under appeal; another moderator must review it.',
      );
    }
    return content;
  }

  /** The post's new status for a decision; for an upheld appeal, the sanction to lift. */
  private async applyDecision(
    manager: EntityManager,
    item: ReviewItemEntity,
    content: ModeratedContent,
    decision: ReviewDecision,
  ): Promise<{ liftSanction: string | null }> {
    const kind = item.kind;
    if (kind === ReviewKind.APPEAL) {
      if (decision !== ReviewDecision.APPROVE) return { liftSanction: null };
      // The appeal is upheld: the post comes back and the sanction ends.
      await this.contents.setStatus(manager, content, ContentStatus.PUBLISHED);
      const appealed =
        item.appealOf === null ? null : await this.items.findById(item.appealOf, manager);
      return { liftSanction: appealed?.sanctionId ?? null };
    }
    if (content.status === ContentStatus.DELETED) return { liftSanction: null };
    if (decision === ReviewDecision.REJECT) {
      const removed =
        content.status === ContentStatus.HELD && !item.hiddenByReports
          ? ContentStatus.REJECTED
          : ContentStatus.REMOVED;
      await this.contents.setStatus(manager, content, removed);
    } else if (content.status === ContentStatus.HELD) {
      // APPROVE publishes a held post; IGNORE restores one that reports had hidden.
      if (decision === ReviewDecision.APPROVE || item.hiddenByReports) {
        await this.contents.setStatus(manager, content, ContentStatus.PUBLISHED);
      }
    }
    return { liftSanction: null };
  }

  /** Identity-store effects of a committed decision; each failure is logged, none undoes it. */
  private async afterDecision(
    after: AfterDecision,
    sanction: DecideReviewItemInput['sanction'],
    code: string | null,
    actor: { handle: string; role: Role },
  ): Promise<void> {
    const { item, content } = after;
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        this.logger.error({ msg: `Moderation: ${what} failed`, reviewItemId: item.id, err: error });
      }
    };
    let sanctionLine = '';
    if (sanction !== null && sanction !== undefined) {
      await attempt('sanction', async () => {
        const applied = await this.sanctions.applyToAuthor(content.sealedRef, {
          kind: sanction.kind,
          days: sanction.days ?? null,
          reasonCode: code ?? 'other',
        });
        if (applied === null) return;
        sanctionLine = sanctionText(applied.kind, applied.endsAt);
        await this.transactions.run(CONTENT_STORE, async (manager) => {
          await manager.update(
            ReviewItemEntity,
            { id: item.id },
            { sanctionId: applied.sanctionId },
          );
          await this.audit.record(manager, {
            actor,
            action: 'sanction.apply',
            subject: `review:${item.id}`,
            detail: {
              kind: applied.kind,
              days: sanction.days ?? null,
              endsAt: applied.endsAt?.toISOString() ?? null,
            },
          });
        });
        item.sanctionId = applied.sanctionId;
      });
    }
    if (after.liftSanction !== null) {
      const sanctionId = after.liftSanction;
      await attempt('lifting the sanction', async () => {
        await this.sanctions.lift(sanctionId);
        await this.transactions.run(CONTENT_STORE, (manager) =>
          this.audit.record(manager, {
            actor,
            action: 'sanction.lift',
            subject: `review:${item.id}`,
            detail: { appealOf: item.appealOf },
          }),
        );
      });
    }
    if (after.authorMessage !== null) {
      const message =
        sanctionLine === '' ? after.authorMessage : `${after.authorMessage} ${sanctionLine}`;
      await attempt('notifying the author', () =>
        this.notifications.notifySealed(content.sealedRef, {
          kind: 'CONTENT_DECISION',
          message,
          contentId: content.id,
        }),
      );
    }
    if (after.upheld !== null) {
      const upheld = after.upheld;
      for (const report of after.reports) {
        await attempt('notifying a reporter', async () => {
          await this.notifications.notifySealed(report.reporterRef, {
            kind: 'REPORT_OUTCOME',
            message: upheld
              ? 'Thank you: a moderator reviewed the post you reported and removed it.'
              : 'A moderator reviewed the post you reported and left it up.',
            contentId: content.id,
          });
          await this.reporterStats.recordOutcome(report.reporterRef, upheld);
        });
      }
    }
  }

  /** The statement of reasons the author is sent; null when they need not hear of it. */
  private statementOfReasons(
    kind: ReviewKind,
    decision: ReviewDecision,
    label: string | null,
    note: string | null,
  ): string | null {
    const withNote = (text: string) => (note === null ? text : `${text} Moderator's note: ${note}`);
    if (kind === ReviewKind.APPEAL) {
      return decision === ReviewDecision.APPROVE
        ? withNote(
            'Your appeal was upheld: your post is visible again and any sanction from that decision has ended.',
          )
        : withNote('Your appeal was reviewed by another moderator and the decision stands.');
    }
    if (decision === ReviewDecision.REJECT) {
      return withNote(
        `Your post was removed. Reason: ${label ?? 'a breach of the community rules'}. You can appeal this decision once.`,
      );
    }
    if (decision === ReviewDecision.APPROVE && kind === ReviewKind.RULE_HOLD) {
      return withNote('Your post was reviewed and approved; it is now visible.');
    }
    return null;
  }

  private newItem(
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
      decision: null,
      reasonCode: null,
      note: null,
      decidedBy: null,
      decidedAt: null,
      sanctionId: null,
      appealOf: null,
      hiddenByReports: false,
      createdAt: now,
      queuedAt: queued ? now : null,
      updatedAt: now,
    };
  }

  /** The fields that put a decided item back in the queue. */
  private reopen(item: ReviewItemEntity): Partial<ReviewItemEntity> {
    if (item.status === ReviewStatus.PENDING) return { version: item.version + 1 };
    return {
      status: ReviewStatus.PENDING,
      decision: null,
      reasonCode: null,
      note: null,
      decidedBy: null,
      decidedAt: null,
      sanctionId: null,
      inQueue: item.kind !== ReviewKind.USER_REPORTS,
      queuedAt: item.kind !== ReviewKind.USER_REPORTS ? new Date() : null,
      hiddenByReports: false,
      version: item.version + 1,
    };
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
      { thread: content.thread, comment: content.comment ?? undefined },
      { principal, jurisdictions: this.policy.viewerJurisdictions(principal, req as never) },
      {
        notFound,
        refused: () =>
          new BadUserInputException('You cannot report your own post.', { fields: ['contentId'] }),
      },
    );
    return content;
  }

  private isAuthor(principal: Principal, content: ModeratedContent): boolean {
    return content.comment === null
      ? this.access.wroteThread(principal, content.thread)
      : this.access.wroteComment(principal, content.comment);
  }

  private handle(principal: Principal): string {
    return this.pseudonyms.staffHandle(principal.accountId);
  }

  private async changed(item: ReviewItemEntity): Promise<void> {
    const event: ReviewQueueEvent = { reviewQueueChanged: item };
    await this.pubSub.publish(REVIEW_QUEUE_TOPIC, event);
  }
}

const STATUS_OF: Record<ReviewDecision, ReviewStatus> = {
  [ReviewDecision.APPROVE]: ReviewStatus.APPROVED,
  [ReviewDecision.REJECT]: ReviewStatus.REJECTED,
  [ReviewDecision.IGNORE]: ReviewStatus.IGNORED,
};

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

function sanctionText(kind: SanctionKind, endsAt: Date | null): string {
  switch (kind) {
    case SanctionKind.WARNING:
      return 'This is a formal warning.';
    case SanctionKind.SUSPENSION:
      return `You are suspended from posting until ${endsAt?.toISOString() ?? 'further notice'}.`;
    case SanctionKind.BAN:
      return 'You are banned from posting.';
  }
}
