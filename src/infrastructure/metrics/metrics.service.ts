import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** At most this many distinct operation names get their own label; the rest count as "other". */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** The one label of every operation that called a staff-only field. */
export const STAFF_OPERATION = 'staff';
/** Labels the server gives; a client's operation of that name counts as "other". */
const RESERVED_LABELS = new Set(['anonymous', 'other', STAFF_OPERATION]);

export type GraphqlOutcome = 'ok' | 'error';

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

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports `store`'s outbox in `outbox_events` (counted at each scrape). */
  watchOutbox(store: string, count: () => Promise<{ pending: number; failed: number }>): void {
    this.outboxes.set(store, count);
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
