import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from '../../common/errors';
import { RATE_LIMIT_BUDGETS } from '../rate-limit/budgets';

/** At most this many distinct operation names get their own label; the rest count as "other". */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** The one label of every operation that called a staff-only field. */
export const STAFF_OPERATION = 'staff';
/** Labels the server gives; a client's operation of that name counts as "other". */
const RESERVED_LABELS = new Set(['anonymous', 'other', STAFF_OPERATION]);

export type GraphqlOutcome = 'ok' | 'error';

/** The review queue of one kind, as the metrics show it. */
export interface ReviewQueueBacklog {
  kind: string;
  /** Items waiting for a moderator. */
  pending: number;
  /** How long the oldest of them has waited, in seconds (whole minutes); 0 when none waits. */
  oldestAgeSeconds: number;
}

/** A store's database connections (PostgreSQL: its pool; SQLite: its one connection). */
export interface PoolUse {
  inUse: number;
  idle: number;
  /** Queries waiting for a connection; null where the driver has no such queue (SQLite). */
  waiting: number | null;
}

/** The password hasher's queue. */
export interface HashQueueLoad {
  running: number;
  waiting: number;
}

/** Label of a refusal's budget or an error's code that is not on the fixed list. */
const OTHER = 'other';
const BUDGETS: ReadonlySet<string> = new Set(RATE_LIMIT_BUDGETS);
const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * Prometheus metrics of this process (its own registry, so several app instances in one test
 * process do not collide). Labels never carry anything about a person: only operation names
 * (client-chosen, hence validated and capped against label explosion), types and outcomes.
 * Operations that called a staff-only field are counted together as `staff`, whatever their
 * name, so the figures do not tell which staff operation ran when.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly knownOperations = new Set<string>();

  /**
   * Per store, how to read its connections (read when scraped). Declared first: the registry
   * collects in this order and these gauges read synchronously, so they show the pools
   * before the scrape's own queries (outbox, review queue) borrow connections from them.
   */
  private readonly pools = new Map<string, () => PoolUse>();

  private readonly poolConnections = new Gauge({
    name: 'database_pool_connections',
    help: "A store's database connections by state: in_use (lent to a query or a transaction) or idle",
    labelNames: ['store', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [store, read] of this.pools) {
        const { inUse, idle } = read();
        this.poolConnections.set({ store, state: 'in_use' }, inUse);
        this.poolConnections.set({ store, state: 'idle' }, idle);
      }
    },
  });

  private readonly poolWaiting = new Gauge({
    name: 'database_pool_waiting',
    help: "Queries waiting for one of a store's pooled connections (PostgreSQL only)",
    labelNames: ['store'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [store, read] of this.pools) {
        const { waiting } = read();
        if (waiting !== null) this.poolWaiting.set({ store }, waiting);
      }
    },
  });

  private readonly graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly graphqlDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name and type',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly subscriptions = new Gauge({
    name: 'pubsub_subscriptions',
    help: "Live pub/sub subscriptions of this instance by topic (GraphQL subscriptions and the instances' announcements)",
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  /** Per store, how to count its outbox (read when scraped). */
  private readonly outboxes = new Map<string, () => Promise<{ pending: number; failed: number }>>();

  private readonly outboxEvents = new Gauge({
    name: 'outbox_events',
    help: "Domain events in a store's outbox: pending (not delivered yet) or failed (every attempt failed; retried at the next start)",
    labelNames: ['store', 'state'] as const,
    registers: [this.registry],
    collect: async () => {
      for (const [store, count] of this.outboxes) {
        try {
          const { pending, failed } = await count();
          this.outboxEvents.set({ store, state: 'pending' }, pending);
          this.outboxEvents.set({ store, state: 'failed' }, failed);
        } catch {
          // The store does not answer: the gauge keeps its last values (health shows why).
        }
      }
    },
  });

  /** How to read the running retroactive runs' progress (read when scraped). */
  private retroactiveProgress:
    (() => Promise<{ running: number; scanned: number; total: number }>) | null = null;

  private readonly retroactiveRunsRunning = new Gauge({
    name: 'compliance_retroactive_runs_running',
    help: 'Retroactive runs of published rule set versions still going (RUNNING)',
    registers: [this.registry],
    collect: async () => {
      const progress = await this.readRetroactiveProgress();
      if (progress !== null) this.retroactiveRunsRunning.set(progress.running);
    },
  });

  private readonly retroactiveRunProgress = new Gauge({
    name: 'compliance_retroactive_run_progress_ratio',
    help: 'Posts scanned over posts to scan, of the running retroactive runs together (1 when none runs)',
    registers: [this.registry],
    collect: async () => {
      const progress = await this.readRetroactiveProgress();
      if (progress === null) return;
      const { scanned, total } = progress;
      this.retroactiveRunProgress.set(total === 0 ? 1 : Math.min(1, scanned / total));
    },
  });

  private readonly retroactiveScanned = new Counter({
    name: 'compliance_retroactive_posts_scanned_total',
    help: 'Past posts re-evaluated by retroactive runs (counted as their batches commit)',
    registers: [this.registry],
  });

  private readonly retroactiveChanged = new Counter({
    name: 'compliance_retroactive_posts_changed_total',
    help: 'Past posts retroactive runs held, flagged or withheld (counted as their batches commit)',
    registers: [this.registry],
  });

  private readonly retroactiveRunsEnded = new Counter({
    name: 'compliance_retroactive_runs_ended_total',
    help: 'Retroactive runs that ended, by status (FINISHED or FAILED)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** How to read the review queue's backlog per kind (read when scraped). */
  private reviewQueue: (() => Promise<ReviewQueueBacklog[]>) | null = null;
  /** The backlog of the scrape under way, read once for both review queue gauges. */
  private reviewQueueScrape: Promise<ReviewQueueBacklog[] | null> | null = null;

  /** How to read the password hasher's queue (read when scraped). */
  private hashQueue: (() => HashQueueLoad) | null = null;

  private readonly hashRefusals = counterOn(this.registry, 'password_hash_refusals_total');

  private readonly rateLimitRefusals = counterOn(this.registry, 'rate_limit_refusals_total', [
    'budget',
  ]);

  private readonly graphqlErrors = counterOn(this.registry, 'graphql_errors_total', ['code']);

  private readonly visitorCacheHits = counterOn(this.registry, 'visitor_cache_hits_total');

  private readonly visitorCacheMisses = counterOn(this.registry, 'visitor_cache_misses_total');

  private readonly memberCacheHits = counterOn(this.registry, 'member_cache_hits_total');

  private readonly memberCacheMisses = counterOn(this.registry, 'member_cache_misses_total');

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.registerScrapedGauges();
    // Every budget and code shows from the start, at 0, so that rates and alerts on them work
    // before the first refusal.
    for (const budget of BUDGETS) this.rateLimitRefusals.inc({ budget }, 0);
    for (const code of ERROR_CODES) this.graphqlErrors.inc({ code }, 0);
  }

  /** The gauges read from elsewhere at each scrape: the review queue and the hash queue. */
  private registerScrapedGauges(): void {
    const reviewQueue = [
      [
        'review_queue_items',
        'Review items waiting for a moderator, by kind (read from the content store: the same figure on every instance)',
        'pending',
      ],
      [
        'review_queue_oldest_age_seconds',
        'How long the oldest review item waiting for a moderator has waited, by kind, in whole minutes (0 when none waits)',
        'oldestAgeSeconds',
      ],
    ] as const;
    for (const [name, help, field] of reviewQueue)
      gaugeOn(this.registry, name, help, ['kind'], async (gauge) => {
        for (const backlog of (await this.readReviewQueue()) ?? [])
          gauge.set({ kind: backlog.kind }, backlog[field]);
      });
    const hashQueue = [
      [
        'password_hash_running',
        'Password hashes and verifications running on this instance',
        'running',
      ],
      [
        'password_hash_queued',
        'Password hashes and verifications waiting for a hashing slot on this instance',
        'waiting',
      ],
    ] as const;
    for (const [name, help, field] of hashQueue)
      gaugeOn(this.registry, name, help, [], (gauge) => {
        if (this.hashQueue !== null) gauge.set(this.hashQueue()[field]);
      });
  }

  /** Reports `store`'s outbox in `outbox_events` (counted at each scrape). */
  watchOutbox(store: string, count: () => Promise<{ pending: number; failed: number }>): void {
    this.outboxes.set(store, count);
  }

  /** Reports the review queue in `review_queue_*` (read from the store at each scrape). */
  watchReviewQueue(backlog: () => Promise<ReviewQueueBacklog[]>): void {
    this.reviewQueue = backlog;
  }

  /** Reports `store`'s connections in `database_pool_*` (read at each scrape). */
  watchPool(store: string, read: () => PoolUse): void {
    this.pools.set(store, read);
  }

  /** Reports the password hasher's queue in `password_hash_running` and `_queued`. */
  watchPasswordHashing(load: () => HashQueueLoad): void {
    this.hashQueue = load;
  }

  passwordHashRefused(): void {
    this.hashRefusals.inc();
  }

  /**
   * Counts the errors of one GraphQL answer by `extensions.code`, and its RATE_LIMITED ones
   * by budget. Only codes of ErrorCode and budgets of RATE_LIMIT_BUDGETS get a label of their
   * own (anything else counts as `other`, so no label carries a value a client chose); nothing
   * else of the error (message, path, the account) is looked at.
   */
  countGraphqlErrors(
    errors: ReadonlyArray<{ extensions?: Readonly<Record<string, unknown>> }>,
  ): void {
    for (const { extensions } of errors) {
      const code = extensions?.code;
      this.graphqlErrors.inc({ code: labelOf(code, ERROR_CODES) });
      if (code === ErrorCode.RATE_LIMITED)
        this.rateLimitRefusals.inc({ budget: labelOf(extensions?.budget, BUDGETS) });
    }
  }

  /** A visitor's cacheable read was answered from the visitor cache (`hit`) or not. */
  visitorCacheLookup(hit: boolean): void {
    if (hit) this.visitorCacheHits.inc();
    else this.visitorCacheMisses.inc();
  }

  /**
   * A member's shareable read was answered from a kept answer (`hit`) or computed (none kept,
   * or the kept one is not theirs: they voted on or wrote one of its threads).
   */
  memberCacheLookup(hit: boolean): void {
    if (hit) this.memberCacheHits.inc();
    else this.memberCacheMisses.inc();
  }

  recordGraphqlRequest(
    operationName: string | null | undefined,
    type: string | undefined,
    outcome: GraphqlOutcome,
    seconds: number,
    options: { staff?: boolean } = {},
  ): { operation: string; type: string } {
    const operation = options.staff === true ? STAFF_OPERATION : this.operationLabel(operationName);
    const labels = { operation, type: type ?? 'unknown' };
    this.graphqlRequests.inc({ ...labels, outcome });
    this.graphqlDuration.observe(labels, seconds);
    return labels;
  }

  subscriptionOpened(topic: string): void {
    this.subscriptions.inc({ topic });
  }

  subscriptionClosed(topic: string): void {
    this.subscriptions.dec({ topic });
  }

  /** Reports the running retroactive runs in the `compliance_retroactive_*` gauges (read at each scrape). */
  watchRetroactiveRuns(
    progress: () => Promise<{ running: number; scanned: number; total: number }>,
  ): void {
    this.retroactiveProgress = progress;
  }

  /** A batch of a retroactive run committed. */
  retroactiveBatch(scanned: number, changed: number): void {
    this.retroactiveScanned.inc(scanned);
    this.retroactiveChanged.inc(changed);
  }

  retroactiveRunEnded(status: 'FINISHED' | 'FAILED'): void {
    this.retroactiveRunsEnded.inc({ status });
  }

  /** The running runs' progress; null when unknown (the gauges keep their last values). */
  private async readRetroactiveProgress(): Promise<{
    running: number;
    scanned: number;
    total: number;
  } | null> {
    if (this.retroactiveProgress === null) return null;
    try {
      return await this.retroactiveProgress();
    } catch {
      return null; // The store does not answer (health shows why).
    }
  }

  /**
   * The review queue's backlog, read once per scrape for both of its gauges (the registry
   * calls every `collect` in one synchronous pass, so both get the read under way); null
   * when unknown (the gauges keep their last values).
   */
  private readReviewQueue(): Promise<ReviewQueueBacklog[] | null> {
    const backlog = this.reviewQueue;
    if (backlog === null) return Promise.resolve(null);
    this.reviewQueueScrape ??= backlog()
      .catch(() => null) // The store does not answer (health shows why).
      .finally(() => (this.reviewQueueScrape = null));
    return this.reviewQueueScrape;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  private operationLabel(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return 'anonymous';
    if (!OPERATION_NAME.test(name) || RESERVED_LABELS.has(name)) return 'other';
    if (this.knownOperations.has(name)) return name;
    if (this.knownOperations.size >= MAX_OPERATION_LABELS) return 'other';
    this.knownOperations.add(name);
    return name;
  }
}

/** `value` when it is one of `known`, else `other`. */
function labelOf(value: unknown, known: ReadonlySet<string>): string {
  return typeof value === 'string' && known.has(value) ? value : OTHER;
}

/** The help text of each counter made by counterOn. */
const COUNTER_HELP = {
  password_hash_refusals_total:
    'Requests refused at once because the password hashing queue was full',
  rate_limit_refusals_total: 'Requests refused RATE_LIMITED, by the budget that refused them',
  graphql_errors_total:
    'Errors in GraphQL answers, by extensions.code (codes off the fixed list count as "other")',
  visitor_cache_hits_total: "Visitors' reads answered from the visitor cache",
  visitor_cache_misses_total:
    "Visitors' cacheable reads not in the visitor cache (computed, then kept)",
  member_cache_hits_total:
    "Members' feed reads answered from a kept member answer (with the reader's own votes and threads filled in)",
  member_cache_misses_total:
    "Members' shareable feed reads computed: none kept, or the kept one not theirs (a withheld thread of theirs belongs in it)",
} as const;

/** A counter on `registry`, with its help text from COUNTER_HELP. */
function counterOn<L extends string = never>(
  registry: Registry,
  name: keyof typeof COUNTER_HELP,
  labelNames: readonly L[] = [],
): Counter<L> {
  return new Counter({ name, help: COUNTER_HELP[name], labelNames, registers: [registry] });
}

/** A gauge on `registry` that `collect` sets at each scrape. */
function gaugeOn<L extends string = never>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (gauge: Gauge<L>) => void | Promise<void>,
): Gauge<L> {
  const gauge: Gauge<L> = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect: () => collect(gauge),
  });
  return gauge;
}
