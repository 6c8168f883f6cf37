import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import { AppException, ErrorCode } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { AppConfig } from '../../infrastructure/config/app-config';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ComplianceCounters } from './compliance-counters';
import { ComplianceRecordsRepository } from './compliance-records.repository';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import type { ComplianceNotice } from '../notices/compliance-notice.model';
import { RuleAction } from '../notices/compliance-notice.model';
import {
  type BoardKind,
  effectiveAction,
  normalizeJurisdiction,
  type Outcome,
  summarize,
} from '../rule-engine';
import { ActiveRuleSets } from '../rule-sets/active-rule-sets.service';
import type { PostKind } from './content-enforcement.entity';

/** A post about to be stored (created or edited), with what judges it. */
export interface PostUnderReview {
  readonly title?: string | null;
  readonly body: string;
  /** More text published with the post, judged as its body (a poll's question and options). */
  readonly extras?: readonly string[];
  readonly board: { readonly kind: string; readonly jurisdiction: string };
  /** The author's jurisdiction (governs with the board's). Not stored with the post. */
  readonly authorJurisdiction: string;
}

/** A notice with the id of the rule it comes from (kept with the post). */
export type RuleNotice = ComplianceNotice & {
  readonly ruleId: string;
  /**
   * The rule acted as it did only because the author's jurisdiction governs the post: a HOLD
   * or REDACT of a jurisdiction that does not govern the board (elsewhere it would have been
   * a WITHHOLD there). Kept with the post without its rule or jurisdiction (`keptNotice`),
   * which would tell where the author is. Other notices are the same whoever the author is.
   */
  readonly byAuthorJurisdiction?: boolean;
};

/** The rule name a notice of the author's jurisdiction is kept under (its real one is not kept). */
export const AUTHOR_RULE_NAME = "a rule of the author's jurisdiction";

const AUTHOR_RULE_EXPLANATIONS: Partial<Record<RuleAction, string>> = {
  [RuleAction.HOLD]:
    "Held for review under a rule of the author's jurisdiction. Which rule, and which jurisdiction, are not kept with the post, so that it does not tell where its author is.",
  [RuleAction.REDACT]:
    "Words were masked under a rule of the author's jurisdiction. Which rule, and which jurisdiction, are not kept with the post, so that it does not tell where its author is.",
};

/**
 * A notice as it is kept with the post and sent to review: a notice of the author's
 * jurisdiction without its jurisdiction (empty), rule, legal basis or explanation — its
 * author saw those when they posted. Other notices as they are.
 */
export function keptNotice(notice: RuleNotice): RuleNotice {
  if (notice.byAuthorJurisdiction !== true) return notice;
  return {
    ruleId: '',
    jurisdiction: '',
    ruleName: AUTHOR_RULE_NAME,
    action: notice.action,
    legalBasis: '',
    explanation:
      AUTHOR_RULE_EXPLANATIONS[notice.action] ??
      "A rule of the author's jurisdiction acted on this post.",
  };
}

/** What the active rules decided for a post that may be stored. */
export interface Judgement {
  /** HOLD by a governing jurisdiction: stored, but shown to nobody but its author until approved. */
  readonly held: boolean;
  /** FLAG: published and queued for review. */
  readonly flagged: boolean;
  /** The text to store: governing REDACT rules' matches masked. */
  readonly title: string | null;
  readonly body: string;
  /** The post's extras (PostUnderReview.extras) to store, masked as the body is. */
  readonly extras: readonly string[];
  /** Jurisdiction codes (as the rule sets name them) where the post is withheld. */
  readonly withheldIn: readonly string[];
  /** For the author (and staff): every rule that acted, most severe first. */
  readonly notices: readonly RuleNotice[];
  /** One line for review queues. */
  readonly summary: string;
}

/** CONTENT_BLOCKED: a governing jurisdiction's rule refuses the post; nothing is stored. */
export class ContentBlockedException extends AppException {
  constructor(ruleNotices: readonly ComplianceNotice[]) {
    const notices = ruleNotices.map(publicNotice);
    const first = notices[0];
    super(
      ErrorCode.CONTENT_BLOCKED,
      first === undefined
        ? 'This post cannot be published here.'
        : `This post cannot be published: ${first.explanation} (${first.jurisdiction}, ${first.ruleName}).`,
      { notices },
    );
  }
}

/** The contract's fields of a notice. */
export function publicNotice(notice: ComplianceNotice): ComplianceNotice {
  const { jurisdiction, ruleName, action, legalBasis, explanation } = notice;
  return { jurisdiction, ruleName, action, legalBasis, explanation };
}

/** The outcome's notices; `boardJurisdictions`: those governing through the board (expanded). */
function toNotices(outcome: Outcome, boardJurisdictions: ReadonlySet<string>): RuleNotice[] {
  return outcome.notices.map((n) => ({
    ruleId: n.ruleId,
    jurisdiction: n.jurisdiction,
    ruleName: n.ruleName,
    action: n.action as RuleAction,
    legalBasis: n.legalBasis,
    explanation: n.explanation,
    byAuthorJurisdiction:
      n.governing &&
      !boardJurisdictions.has(n.jurisdiction) &&
      n.action !== effectiveAction(n.ruleAction, false),
  }));
}

/**
 * Compliance on the content side (SPEC §4): judges every created or edited post by the active
 * rule sets, records where it is withheld and why, and answers the read side's questions
 * (which jurisdictions a viewer is in, which posts they may not see, whose notices to show).
 */
@Injectable()
export class ContentPolicy {
  private readonly logger = new Logger(ContentPolicy.name);

  constructor(
    private readonly config: AppConfig,
    private readonly rules: ActiveRuleSets,
    private readonly jurisdictions: JurisdictionsService,
    private readonly events: DomainEvents,
    private readonly counters: ComplianceCounters,
    private readonly records: ComplianceRecordsRepository,
  ) {}

  /**
   * Judges a post; throws ContentBlockedException when a governing jurisdiction blocks it.
   * The board's and the author's jurisdictions govern; every other jurisdiction's BLOCK or
   * HOLD withholds the post there.
   *
   * A refused post's notices are counted for the transparency report in a content-store
   * transaction of their own before the exception is thrown (nothing else is stored for it),
   * so call this outside any content-store transaction: one that rolls back would take the
   * count with it.
   */
  async judge(post: PostUnderReview): Promise<Judgement> {
    const evaluation = this.rules.evaluatePost({
      title: post.title,
      body: post.body,
      extras: post.extras,
      boardKind: post.board.kind as BoardKind,
      governingJurisdictions: [post.board.jurisdiction, post.authorJurisdiction],
    });
    const { outcome } = evaluation;
    const notices = toNotices(
      outcome,
      new Set(this.jurisdictions.expand(post.board.jurisdiction).map(normalizeJurisdiction)),
    );
    if (outcome.decision === 'BLOCK') {
      await this.countRefused(notices);
      throw new ContentBlockedException(notices);
    }
    return {
      held: outcome.decision === 'HOLD',
      flagged: outcome.flagged,
      title: post.title === undefined || post.title === null ? null : evaluation.redactedTitle,
      body: evaluation.redactedBody,
      extras: evaluation.redactedExtras,
      withheldIn: outcome.withheldIn,
      notices,
      // As kept: naming no rule of the author's jurisdiction.
      summary: summarize(
        outcome.decision,
        notices.map(keptNotice),
        outcome.withheldIn,
        outcome.redactions.length,
        outcome.flagged,
      ),
    };
  }

  /**
   * Counts a refused post's notices. A failure is logged and does not change the answer: the
   * author is still told why the post was refused.
   */
  private async countRefused(notices: readonly RuleNotice[]): Promise<void> {
    try {
      await this.counters.countRefused(notices);
    } catch (error: unknown) {
      this.logger.error({
        msg: 'Could not count a refused post for the transparency report',
        jurisdictions: [...new Set(notices.map((n) => n.jurisdiction))],
        err: error,
      });
    }
  }

  /**
   * Stores a judgement of a post in the caller's transaction, replacing an earlier one when
   * `replacing` (an edit is judged afresh; a new post has none to look for), and counts its
   * notices for the transparency report (an edit that is judged again counts again). Notices
   * of the author's jurisdiction are kept without it (`keptNotice`); the day's counters still
   * count them under it (a count per UTC day and jurisdiction, naming no post:
   * docs/anonymity.md, "Compliance").
   */
  async record(
    manager: EntityManager,
    post: { id: string; kind: PostKind; threadId: string },
    judgement: Pick<Judgement, 'withheldIn' | 'notices'>,
    { replacing }: { replacing: boolean },
  ): Promise<void> {
    if (replacing) await this.records.forget(manager, post.id);
    const now = new Date();
    await this.records.insertWithholdings(manager, post, judgement.withheldIn, now);
    await this.records.insertNotices(manager, post.id, judgement.notices.map(keptNotice), now);
    await this.counters.count(manager, judgement.notices, now);
  }

  /** Adds withholdings (a retroactive run) without touching the post's other records. */
  async withhold(
    manager: EntityManager,
    post: { id: string; kind: PostKind; threadId: string },
    jurisdictions: readonly string[],
    notices: readonly RuleNotice[],
  ): Promise<void> {
    const existing = await this.records.withholdingsOf(manager, post.id);
    const now = new Date();
    await this.records.insertWithholdings(
      manager,
      post,
      jurisdictions.filter((code) => !existing.has(code)),
      now,
    );
    await this.records.insertNotices(manager, post.id, notices, now);
  }

  /** Removes a post's withholdings and notices (deleted posts, edits). */
  forget(manager: EntityManager, contentId: string): Promise<void> {
    return this.records.forget(manager, contentId);
  }

  /**
   * Asks for the review a judgement calls for (`review.requested`), in the caller's
   * transaction, the one that stores the post: moderation opens the review item once it has
   * committed, however the server fares in between.
   */
  async requestReview(
    manager: EntityManager,
    post: { id: string; kind: PostKind },
    judgement: Pick<Judgement, 'held' | 'flagged' | 'summary' | 'notices'>,
  ): Promise<void> {
    if (!judgement.held && !judgement.flagged) return;
    await this.events.publish(manager, {
      type: 'review.requested',
      payload: {
        contentId: post.id,
        contentKind: post.kind,
        kind: judgement.held ? 'RULE_HOLD' : 'RULE_FLAG',
        summary: judgement.summary,
        notices: judgement.notices
          .filter((n) => n.action === (judgement.held ? RuleAction.HOLD : RuleAction.FLAG))
          .map((n) => publicNotice(keptNotice(n))),
      },
    });
  }

  /**
   * The jurisdictions whose withholdings apply to a viewer, expanded (a German reader: DE and
   * EU). Members: their account's setting, and the trusted proxy's header when configured.
   * Visitors: the trusted proxy's header when configured, else DEFAULT_JURISDICTION.
   */
  viewerJurisdictions(principal: Principal | undefined, req: Request | undefined): string[] {
    const located = this.locatedJurisdiction(req);
    if (principal === undefined) {
      return this.jurisdictions.expand(located ?? this.config.DEFAULT_JURISDICTION);
    }
    // A member is judged by their account's jurisdiction and, where a trusted proxy says where
    // the request comes from, by that one too: a setting cannot be used to read what the
    // place one reads from withholds.
    const own = this.jurisdictions.expand(principal.jurisdiction);
    if (located === null) return own;
    return [...new Set([...own, ...this.jurisdictions.expand(located)])];
  }

  /** The known jurisdiction in the trusted proxy's header (TRUSTED_JURISDICTION_HEADER), if any. */
  private locatedJurisdiction(req: Request | undefined): string | null {
    const header = this.config.TRUSTED_JURISDICTION_HEADER;
    const value = header === '' ? undefined : req?.headers[header.toLowerCase()];
    return (typeof value === 'string' ? this.jurisdictions.find(value)?.code : undefined) ?? null;
  }

  /** Of `contentIds`, those withheld in any of `jurisdictions`. */
  withheld(contentIds: readonly string[], jurisdictions: readonly string[]): Promise<Set<string>> {
    return this.records.withheld(contentIds, jurisdictions);
  }

  /** Per thread, how many of its comments are withheld in any of `jurisdictions`. */
  withheldComments(
    threadIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Map<string, number>> {
    return this.records.withheldCommentCounts(threadIds, jurisdictions);
  }

  /** Notices per post, for the posts whose author or staff is looking. */
  noticesOf(contentIds: readonly string[]): Promise<Map<string, ComplianceNotice[]>> {
    return this.records.noticesOf(contentIds);
  }

  /** Staff see every post's notices; others only their own posts'. */
  seesNoticesOfOthers(principal: Principal | undefined): boolean {
    return (
      principal !== undefined &&
      (principal.roles.has(Role.MODERATOR) || principal.roles.has(Role.COMPLIANCE_OFFICER))
    );
  }
}
