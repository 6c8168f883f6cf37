import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service';
import { NotificationsService } from '../identity/moderation/notifications.service';
import { ReporterStatsService } from '../identity/moderation/reporter-stats.service';
import { SanctionKind } from '../identity/moderation/sanction-kind';
import { SanctionsService } from '../identity/moderation/sanctions.service';
import type { Role } from '../infrastructure/auth/role';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import type { ModeratedContent } from './moderated-content';
import { type ReportEntity, ReviewItemEntity } from './review.entity';
import { type DecideReviewItemInput, ReviewDecision, ReviewKind } from './review.model';

/** What has to happen outside the content transaction once it committed. */
export interface AfterDecision {
  item: ReviewItemEntity;
  content: ModeratedContent;
  reports: ReportEntity[];
  upheld: boolean | null;
  authorMessage: string | null;
  liftSanction: string | null;
}

/**
 * What a decision does in the identity store once the content transaction has committed:
 * the sanction, lifting one on an upheld appeal, the statement of reasons to the author, and
 * the reporters' outcome notices and accuracy. Each failure is logged; none undoes the decision.
 */
@Injectable()
export class DecisionEffects {
  private readonly logger = new Logger(DecisionEffects.name);

  constructor(
    private readonly sanctions: SanctionsService,
    private readonly notifications: NotificationsService,
    private readonly reporterStats: ReporterStatsService,
    private readonly audit: AuditTrail,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Identity-store effects of a committed decision; each failure is logged, none undoes it. */
  async apply(
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
  statementOfReasons(
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
