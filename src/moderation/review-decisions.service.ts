import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { BadUserInputException, ForbiddenException, NotFoundException } from '../common/errors';
import { ContentAccess } from '../discussions/access/content-access.service';
import { ContentStatus } from '../posts/content-status';
import { ModeratorScopesService } from '../identity/moderation/moderator-scopes.service';
import { SanctionKind } from '../identity/moderation/sanction-kind';
import { PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import { StaffTokenService } from '../identity/sealing/staff-token.service';
import type { Principal } from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import { AppConfig } from '../infrastructure/config/app-config';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { DecisionEffects } from './decision-effects';
import { type ModeratedContent, ModeratedContentService } from './moderated-content';
import { reasonCode } from './reason-codes';
import type { ReviewItemEntity } from './review.entity';
import {
  assertWithinScope,
  ReviewConflictException,
  ReviewConflictReason,
} from './review-conflict';
import { ReviewItemsRepository } from './review-items.repository';
import { ReviewQueueEvents } from './review-items';
import { ThreadActivity } from '../discussions/follows/thread-activity.service';
import {
  type DecideReviewItemInput,
  ReviewDecision,
  ReviewKind,
  ReviewStatus,
} from './review.model';

/**
 * Claims and decisions (SPEC §5, docs/moderation.md) with optimistic locking: the item and
 * the post change in one content transaction with their audit entries and, through
 * DecisionEffects, the event that carries what the identity store is to hold (sanctions,
 * notifications, reporters' accuracy), applied later in a mixed batch.
 */
@Injectable()
export class ReviewDecisions {
  constructor(
    private readonly config: AppConfig,
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly access: ContentAccess,
    private readonly staffTokens: StaffTokenService,
    private readonly pseudonyms: PseudonymService,
    private readonly scopes: ModeratorScopesService,
    private readonly effects: DecisionEffects,
    private readonly audit: AuditTrail,
    private readonly queue: ReviewQueueEvents,
    private readonly transactions: TransactionRunner,
    private readonly activity: ThreadActivity,
  ) {}

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
      await this.items.addEvent(
        manager,
        item.id,
        'claimed',
        this.pseudonyms.staffHandle(principal.accountId),
      );
      return item;
    });
    await this.queue.changed(item);
    return item;
  }

  /**
   * `decideReviewItem` (docs/moderation.md): approve, reject with a reason code and a note,
   * or ignore; optionally sanction the author. The item and the post change in one
   * transaction with its audit entries and the event of its identity-store effects
   * (sanctions, notifications, reporters' accuracy), which follow in a mixed batch.
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
    const actor = {
      handle: this.pseudonyms.staffHandle(principal.accountId),
      role: Role.MODERATOR,
    };

    const decided = await this.transactions.run(
      CONTENT_STORE,
      async (manager): Promise<ReviewItemEntity> => {
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
          sanctionKind: sanction?.kind ?? null,
          sanctionDays: sanction?.kind === SanctionKind.SUSPENSION ? (sanction.days ?? null) : null,
          claimedBy: null,
          claimExpiresAt: null,
          inQueue: false,
          reportScore: 0,
          version: item.version + 1,
          updatedAt: now,
        });
        await this.effects.publish(
          manager,
          {
            item,
            content,
            reports,
            upheld,
            authorMessage: this.effects.statementOfReasons(
              kind,
              input.decision,
              reason?.label ?? null,
              note,
            ),
            liftSanction: effects.liftSanction,
          },
          sanction,
          code,
          actor,
          now,
        );
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
        return item;
      },
    );

    await this.queue.changed(decided);
    return decided;
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
      throw new ReviewConflictException(
        'This item has changed since you loaded it; reload it.',
        ReviewConflictReason.STALE_VERSION,
        { currentVersion: item.version },
      );
    }
    if (item.status !== ReviewStatus.PENDING) {
      throw new ReviewConflictException(
        'This item has already been decided.',
        ReviewConflictReason.DECIDED,
      );
    }
    const claimedByOther =
      item.claimedBy !== null &&
      item.claimedBy !== me &&
      (item.claimExpiresAt?.getTime() ?? 0) > Date.now();
    if (claimedByOther) {
      throw new ReviewConflictException(
        'Another moderator has claimed this item.',
        ReviewConflictReason.CLAIMED,
        { claimExpiresAt: item.claimExpiresAt?.toISOString() },
      );
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
    assertWithinScope(scope, item.companyId);
    const content = await this.contents.find(item.contentId, manager);
    if (content === null) {
      throw new NotFoundException('The content of this item no longer exists.');
    }
    if (this.access.wrotePost(principal, content)) {
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
        // A held comment seen for the first time: its thread's people hear of it now.
        if (!item.hiddenByReports && content.comment !== null) {
          await this.activity.published(manager, content.thread, content.comment, null);
        }
      }
    }
    return { liftSanction: null };
  }
}

const STATUS_OF: Record<ReviewDecision, ReviewStatus> = {
  [ReviewDecision.APPROVE]: ReviewStatus.APPROVED,
  [ReviewDecision.REJECT]: ReviewStatus.REJECTED,
  [ReviewDecision.IGNORE]: ReviewStatus.IGNORED,
};
