import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { bindsAtOnce, SanctionsService } from '../identity/moderation/sanctions.service';
import type { Role } from '../infrastructure/auth/role';
import type { IdentityEffect } from '../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../infrastructure/events/domain-events';
import type { ModeratedContent } from './moderated-content';
import type { ReportEntity, ReviewItemEntity } from './review.entity';
import { type DecideReviewItemInput, ReviewDecision, ReviewKind } from './review.model';

/** What a decision does to people, gathered in its transaction. */
export interface DecisionOutcome {
  item: ReviewItemEntity;
  content: ModeratedContent;
  reports: ReportEntity[];
  upheld: boolean | null;
  authorMessage: string | null;
  liftSanction: string | null;
}

/**
 * What a decision does to people — the sanction, lifting one on an upheld appeal, the
 * statement of reasons to the author, the reporters' outcome notices and accuracy — published
 * **in the decision's transaction** as one `identity.effects` event: it exists if and only if
 * the decision committed, and the identity module applies it in a mixed batch
 * (docs/anonymity.md, "Mixed delivery"). The sanction's handle is made here, kept with the
 * review item and named by the audit entry, before the sanction itself is written.
 */
@Injectable()
export class DecisionEffects {
  constructor(
    private readonly sanctions: SanctionsService,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Publishes the decision's effects with `manager` (its content transaction) and sets the
   * item's sanction handle; call before the item is saved. BAD_USER_INPUT for a malformed
   * sanction, which rolls the decision back.
   */
  async publish(
    manager: EntityManager,
    outcome: DecisionOutcome,
    sanction: DecideReviewItemInput['sanction'],
    code: string | null,
    actor: { handle: string; role: Role },
    at: Date,
  ): Promise<void> {
    const { item, content } = outcome;
    const effects: IdentityEffect[] = [];
    let requested = null;
    if (sanction !== null && sanction !== undefined) {
      const request = {
        kind: sanction.kind,
        days: sanction.days ?? null,
        reasonCode: code ?? 'other',
      };
      this.sanctions.validate(request);
      const handle = this.sanctions.newHandle();
      item.sanctionId = handle;
      requested = { handle, ...request };
      await this.audit.record(manager, {
        actor,
        action: 'sanction.apply',
        subject: `review:${item.id}`,
        detail: { kind: request.kind, days: request.days },
      });
    }
    if (outcome.authorMessage !== null || requested !== null) {
      effects.push({
        kind: 'author',
        effectId: randomUUID(),
        sealedRef: content.sealedRef,
        message: outcome.authorMessage,
        ...(item.kind === ReviewKind.APPEAL ? { appeal: true } : {}),
        contentId: content.id,
        at: at.getTime(),
        sanction: requested,
      });
    }
    if (outcome.liftSanction !== null) {
      effects.push({ kind: 'lift', sanctionHandle: outcome.liftSanction });
      await this.audit.record(manager, {
        actor,
        action: 'sanction.lift',
        subject: `review:${item.id}`,
        detail: { appealOf: item.appealOf },
      });
    }
    if (outcome.upheld !== null) {
      for (const report of outcome.reports) {
        effects.push({
          kind: 'reporter',
          effectId: randomUUID(),
          sealedRef: report.reporterRef,
          upheld: outcome.upheld,
          contentId: content.id,
          at: at.getTime(),
        });
      }
    }
    if (effects.length > 0) {
      await this.events.publish(
        manager,
        { type: 'identity.effects', payload: { effects } },
        { readBeforeDelivery: effects.some(bindsAtOnce) },
      );
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
