import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type PostKind, RetroactiveRunEntity } from './content-enforcement.entity';
import { ContentPolicy, type Judgement, type RuleNotice } from './content-policy.service';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import { pastPostChange } from './past-post-change';
import { ActiveRuleSets } from '../rule-sets/active-rule-sets.service';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import type { RuleSetPublishedRetroactively } from '../../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ComplianceCounters } from './compliance-counters';
import { RetroactiveRunsRepository } from './retroactive-runs.repository';
import { CommentsRepository } from '../../posts/comments.repository';
import { ThreadsRepository } from '../../posts/threads.repository';
import { type PastPost, type PastPostCursor, PastPosts } from './past-posts';
import { AuditTrail } from '../../audit/audit-trail.service';
import type { Role } from '../../infrastructure/auth/role';
import { MetricsService } from '../../infrastructure/metrics/metrics.service';

/** Posts re-evaluated per transaction. */
export const RETROACTIVE_BATCH = 200;

/** What a retroactive evaluation does to one post; null: nothing. */
interface Change {
  post: PastPost;
  hold: boolean;
  flag: boolean;
  withheldIn: readonly string[];
  notices: RuleNotice[];
  judgement: Judgement;
}

/**
 * Applies a newly published rule set version to existing content (SPEC §4, `publishRuleSet(…,
 * applyRetroactively: true)`): threads, then comments, oldest first, in batches; each batch
 * is one transaction that also saves the position, so a restarted server resumes the run
 * where it stopped (runs still RUNNING are resumed at start-up). A run starts when the
 * `ruleSet.publishedRetroactively` event is delivered. A post the version holds (or blocks)
 * becomes HELD and is queued for review (`review.requested`, in the batch's transaction); one it flags is queued; one it withholds is
 * withheld there. Several instances may work on one run at once (each resumes unfinished runs
 * at start-up): a batch is applied only by the transaction that moves the run's position. REDACT rules are not applied retroactively (the stored text is not
 * rewritten). The board's jurisdiction governs: authors' jurisdictions are not kept with
 * posts (docs/compliance.md).
 */
@Injectable()
export class RetroactiveEnforcement
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(RetroactiveEnforcement.name);
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly events: DomainEvents,
    private readonly rules: ActiveRuleSets,
    private readonly jurisdictions: JurisdictionsService,
    private readonly policy: ContentPolicy,
    private readonly past: PastPosts,
    private readonly threads: ThreadsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
    private readonly counters: ComplianceCounters,
    private readonly runs: RetroactiveRunsRepository,
    private readonly comments: CommentsRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** A publication reaches this module as a domain event, after its transaction committed. */
  onModuleInit(): void {
    this.events.handle('ruleSet.publishedRetroactively', 'discussions.retroactive-run', (p) =>
      this.apply(p),
    );
    this.metrics.watchRetroactiveRuns(() => this.progress());
  }

  /** Runs still going, and failed ones (they go again), are resumed at start-up. */
  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await this.runs.findUnfinished();
    for (const run of unfinished) {
      if (run.status === 'FAILED') await this.runs.resume(run.ruleSetId);
      this.start(run.ruleSetId);
    }
  }

  /**
   * A run's posts to scan: those scanned, plus the published posts after its position (a
   * finished run: those it scanned).
   */
  async total(run: RetroactiveRunEntity): Promise<number> {
    if (run.status === 'DONE') return run.scanned;
    return run.scanned + (await this.past.remaining(run.phase, cursorOf(run)));
  }

  /** The running runs together, for the metrics. */
  private async progress(): Promise<{ running: number; scanned: number; total: number }> {
    const running = await this.runs.findRunning();
    let scanned = 0;
    let total = 0;
    for (const run of running) {
      scanned += run.scanned;
      total += await this.total(run);
    }
    return { running: running.length, scanned, total };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.running.values());
  }

  /**
   * Records the run of a retroactive publication (once: a second delivery of the event finds
   * it) and starts it in the background; resolves once it is recorded.
   */
  async apply(publication: RuleSetPublishedRetroactively): Promise<void> {
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      if ((await this.runs.findByRuleSet(publication.ruleSetId, manager)) !== null) return;
      await this.runs.insert(manager, {
        ruleSetId: publication.ruleSetId,
        jurisdiction: publication.jurisdiction,
        status: 'RUNNING',
        phase: 'THREAD',
        afterCreatedAt: null,
        afterId: null,
        actorHandle: publication.actor.handle,
        actorRole: publication.actor.role,
        scanned: 0,
        changed: 0,
        startedAt: new Date(),
        finishedAt: null,
      });
      await this.audit.record(manager, {
        actor: publication.actor,
        action: 'ruleSet.retroactive.start',
        subject: `ruleSet:${publication.ruleSetId}`,
        detail: { jurisdiction: publication.jurisdiction, version: publication.version },
      });
    });
    this.start(publication.ruleSetId);
  }

  /** Resolves when the run of `ruleSetId` (if one is going) has stopped; for tests and shutdown. */
  async settled(ruleSetId: string): Promise<void> {
    await this.running.get(ruleSetId);
  }

  private start(ruleSetId: string): void {
    if (this.running.has(ruleSetId)) return;
    const run = this.run(ruleSetId)
      .catch(async (error: unknown) => {
        this.logger.error({
          msg: 'Retroactive run stopped; it resumes at the next start',
          ruleSetId,
          err: error,
        });
        // Stopped by an error (not by shutdown, which leaves it RUNNING): FAILED until then.
        if (!this.stopping && (await this.recordFailure(ruleSetId).catch(() => false))) {
          this.metrics.retroactiveRunEnded('FAILED');
        }
      })
      .finally(() => this.running.delete(ruleSetId));
    this.running.set(ruleSetId, run);
  }

  /**
   * Marks a running run FAILED with its audit entry (`ruleSet.retroactive.fail`: how far it
   * got); false when it was not running any more (finished, or failed already).
   */
  private recordFailure(ruleSetId: string): Promise<boolean> {
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const run = await this.runs.findByRuleSet(ruleSetId, manager);
      if (run === null || !(await this.runs.fail(manager, ruleSetId))) return false;
      await this.audit.record(manager, {
        actor: { handle: run.actorHandle, role: run.actorRole as Role },
        action: 'ruleSet.retroactive.fail',
        subject: `ruleSet:${ruleSetId}`,
        detail: {
          jurisdiction: run.jurisdiction,
          phase: run.phase,
          scanned: run.scanned,
          changed: run.changed,
          resumesAtNextStart: true,
        },
      });
      return true;
    });
  }

  private async run(ruleSetId: string): Promise<void> {
    const compiled = await this.rules.compileVersion(ruleSetId);
    for (;;) {
      if (this.stopping) return;
      const run = await this.runs.findByRuleSet(ruleSetId);
      if (run === null || run.status !== 'RUNNING') return;
      const after = cursorOf(run);
      const batch = await this.past.batch(run.phase, after, null, RETROACTIVE_BATCH);
      const changes: Change[] = [];
      for (const post of batch) {
        const verdict = pastPostChange(compiled, post, this.jurisdictions);
        if (verdict === null) continue;
        changes.push({
          post,
          hold: verdict.hold,
          flag: verdict.flag,
          withheldIn: verdict.withheldIn,
          notices: verdict.notices,
          judgement: {
            held: verdict.hold,
            flagged: verdict.flag,
            title: post.title,
            body: post.body,
            extras: [],
            withheldIn: verdict.withheldIn,
            notices: verdict.notices,
            summary: `retroactive ${run.jurisdiction}: ${verdict.notices.map((n) => `${n.action} ${n.ruleName}`).join(', ')}`,
          },
        });
      }
      const last = batch.at(-1);
      const moved = await this.transactions.run(CONTENT_STORE, async (manager) => {
        // The position moves first, and only from where this batch was read: when another
        // instance is working on the same run (both resumed it at start-up), whichever commits
        // second finds the position moved, applies nothing and reads again from the new one.
        const moved = await this.runs.advance(
          manager,
          run,
          last !== undefined
            ? {
                afterCreatedAt: last.createdAt,
                afterId: last.id,
                scanned: run.scanned + batch.length,
                changed: run.changed + changes.length,
              }
            : nextPhase(run.phase),
        );
        if (!moved) return false;
        for (const change of changes) {
          await this.applyChange(manager, change);
          await this.policy.requestReview(manager, change.post, change.judgement);
        }
        if (last === undefined && run.phase === 'COMMENT') {
          await this.audit.record(manager, {
            actor: { handle: run.actorHandle, role: run.actorRole as Role },
            action: 'ruleSet.retroactive.finish',
            subject: `ruleSet:${ruleSetId}`,
            detail: { jurisdiction: run.jurisdiction, scanned: run.scanned, changed: run.changed },
          });
        }
        return true;
      });
      if (!moved) continue;
      // Counted once committed, by the instance that applied the batch.
      if (last !== undefined) this.metrics.retroactiveBatch(batch.length, changes.length);
      else if (run.phase === 'COMMENT') this.metrics.retroactiveRunEnded('FINISHED');
    }
  }

  private async applyChange(manager: EntityManager, change: Change): Promise<void> {
    const { post } = change;
    if (change.hold) {
      const held =
        post.kind === 'THREAD'
          ? await this.threads.holdIfPublished(manager, post.id)
          : await this.comments.holdIfPublished(manager, post.id);
      // A held comment is no longer counted.
      if (post.kind === 'COMMENT' && held) {
        await this.threads.addToCommentCount(manager, post.threadId, -1);
      }
    }
    await this.policy.withhold(manager, post, change.withheldIn, change.notices);
    // Counted with the batch: a run resumed after a crash never counts a post twice.
    await this.counters.count(manager, change.notices);
  }
}

function cursorOf(run: RetroactiveRunEntity): PastPostCursor | null {
  return run.afterCreatedAt === null || run.afterId === null
    ? null
    : { createdAt: run.afterCreatedAt, id: run.afterId };
}

function nextPhase(phase: PostKind): Partial<RetroactiveRunEntity> {
  return phase === 'THREAD'
    ? { phase: 'COMMENT', afterCreatedAt: null, afterId: null }
    : { status: 'DONE', finishedAt: new Date() };
}
