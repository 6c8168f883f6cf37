import { randomUUID } from 'node:crypto';
import { ContentWithholdingEntity } from '../../posts/content-withholding.entity';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AppException, ErrorCode } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { AppConfig } from '../../infrastructure/config/app-config';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ComplianceCounters } from './compliance-counters';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import type { ComplianceNotice } from '../notices/compliance-notice.model';
import { RuleAction } from '../notices/compliance-notice.model';
import type { BoardKind, Outcome } from '../rule-engine';
import { ActiveRuleSets } from '../rule-sets/active-rule-sets.service';
import { ContentNoticeEntity, type PostKind } from './content-enforcement.entity';

/** A post about to be stored (created or edited), with what judges it. */
export interface PostUnderReview {
  readonly title?: string | null;
  readonly body: string;
  readonly board: { readonly kind: string; readonly jurisdiction: string };
  /** The author's jurisdiction (governs with the board's). Not stored with the post. */
  readonly authorJurisdiction: string;
}

/** A notice with the id of the rule it comes from (kept with the post). */
export type RuleNotice = ComplianceNotice & { readonly ruleId: string };

/** What the active rules decided for a post that may be stored. */
export interface Judgement {
  /** HOLD by a governing jurisdiction: stored, but shown to nobody but its author until approved. */
  readonly held: boolean;
  /** FLAG: published and queued for review. */
  readonly flagged: boolean;
  /** The text to store: governing REDACT rules' matches masked. */
  readonly title: string | null;
  readonly body: string;
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

function toNotices(outcome: Outcome): RuleNotice[] {
  return outcome.notices.map((n) => ({
    ruleId: n.ruleId,
    jurisdiction: n.jurisdiction,
    ruleName: n.ruleName,
    action: n.action as RuleAction,
    legalBasis: n.legalBasis,
    explanation: n.explanation,
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
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
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
      boardKind: post.board.kind as BoardKind,
      governingJurisdictions: [post.board.jurisdiction, post.authorJurisdiction],
    });
    const { outcome } = evaluation;
    const notices = toNotices(outcome);
    if (outcome.decision === 'BLOCK') {
      await this.countRefused(notices);
      throw new ContentBlockedException(notices);
    }
    return {
      held: outcome.decision === 'HOLD',
      flagged: outcome.flagged,
      title: post.title === undefined || post.title === null ? null : evaluation.redactedTitle,
      body: evaluation.redactedBody,
      withheldIn: outcome.withheldIn,
      notices,
      summary: outcome.summary,
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
   * Stores a judgement of a post in the caller's transaction, replacing an earlier one (an
   * edit is judged afresh), and counts its notices for the transparency report (an edit that
   * is judged again counts again).
   */
  async record(
    manager: EntityManager,
    post: { id: string; kind: PostKind; threadId: string },
    judgement: Pick<Judgement, 'withheldIn' | 'notices'>,
  ): Promise<void> {
    await this.forget(manager, post.id);
    const now = new Date();
    if (judgement.withheldIn.length > 0) {
      await manager.insert(
        ContentWithholdingEntity,
        judgement.withheldIn.map((jurisdiction) => ({
          contentId: post.id,
          jurisdiction,
          contentKind: post.kind,
          threadId: post.threadId,
          createdAt: now,
        })),
      );
    }
    if (judgement.notices.length > 0) {
      await manager.insert(
        ContentNoticeEntity,
        judgement.notices.map((notice) => ({
          id: randomUUID(),
          contentId: post.id,
          createdAt: now,
          ...notice,
        })),
      );
    }
    await this.counters.count(manager, judgement.notices, now);
  }

  /** Adds withholdings (a retroactive run) without touching the post's other records. */
  async withhold(
    manager: EntityManager,
    post: { id: string; kind: PostKind; threadId: string },
    jurisdictions: readonly string[],
    notices: readonly RuleNotice[],
  ): Promise<void> {
    const existing = new Set(
      (await manager.findBy(ContentWithholdingEntity, { contentId: post.id })).map(
        (row) => row.jurisdiction,
      ),
    );
    const now = new Date();
    const added = jurisdictions.filter((code) => !existing.has(code));
    if (added.length > 0) {
      await manager.insert(
        ContentWithholdingEntity,
        added.map((jurisdiction) => ({
          contentId: post.id,
          jurisdiction,
          contentKind: post.kind,
          threadId: post.threadId,
          createdAt: now,
        })),
      );
    }
    if (notices.length > 0) {
      await manager.insert(
        ContentNoticeEntity,
        notices.map((notice) => ({
          id: randomUUID(),
          contentId: post.id,
          createdAt: now,
          ...notice,
        })),
      );
    }
  }

  /** Removes a post's withholdings and notices (deleted posts, edits). */
  async forget(manager: EntityManager, contentId: string): Promise<void> {
    await manager.delete(ContentWithholdingEntity, { contentId });
    await manager.delete(ContentNoticeEntity, { contentId });
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
          .map(publicNotice),
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
  async withheld(
    contentIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Set<string>> {
    if (contentIds.length === 0 || jurisdictions.length === 0) return new Set();
    const rows = await this.content.getRepository(ContentWithholdingEntity).find({
      select: { contentId: true },
      where: { contentId: In([...contentIds]), jurisdiction: In([...jurisdictions]) },
    });
    return new Set(rows.map((row) => row.contentId));
  }

  /** Per thread, how many of its comments are withheld in any of `jurisdictions`. */
  async withheldComments(
    threadIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Map<string, number>> {
    if (threadIds.length === 0 || jurisdictions.length === 0) return new Map();
    const rows = await this.content
      .getRepository(ContentWithholdingEntity)
      .createQueryBuilder('w')
      .select('w.threadId', 'threadId')
      .addSelect('COUNT(DISTINCT w.contentId)', 'count')
      .where('w.threadId IN (:...threadIds)', { threadIds })
      .andWhere('w.jurisdiction IN (:...jurisdictions)', { jurisdictions })
      .andWhere("w.contentKind = 'COMMENT'")
      .groupBy('w.threadId')
      .getRawMany<{ threadId: string; count: string | number }>();
    return new Map(rows.map((row) => [row.threadId, Number(row.count)]));
  }

  /** Notices per post, for the posts whose author or staff is looking. */
  async noticesOf(contentIds: readonly string[]): Promise<Map<string, ComplianceNotice[]>> {
    const result = new Map<string, ComplianceNotice[]>();
    if (contentIds.length === 0) return result;
    const rows = await this.content.getRepository(ContentNoticeEntity).find({
      where: { contentId: In([...contentIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const row of rows) {
      const list = result.get(row.contentId) ?? [];
      list.push({
        jurisdiction: row.jurisdiction,
        ruleName: row.ruleName,
        action: row.action as RuleAction,
        legalBasis: row.legalBasis,
        explanation: row.explanation,
      });
      result.set(row.contentId, list);
    }
    return result;
  }

  /** Staff see every post's notices; others only their own posts'. */
  seesNoticesOfOthers(principal: Principal | undefined): boolean {
    return (
      principal !== undefined &&
      (principal.roles.has(Role.MODERATOR) || principal.roles.has(Role.COMPLIANCE_OFFICER))
    );
  }
}
