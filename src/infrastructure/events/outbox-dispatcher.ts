import type { LoggerService } from '@nestjs/common';
import { shuffled } from '../../common/shuffle';
import type { EntityManager } from 'typeorm';
import type { StoreName } from '../database/stores';
import type { Touched, TransactionRunner } from '../database/transaction-runner';
import { escapedTablePath } from '../database/table-path';
import { LoopPacer } from './loop-pacer';
import { OutboxEventEntity } from './outbox-event.entity';

/**
 * What the dispatcher's own transactions touch: only `outbox_events` rows, which no answer
 * shows, so no cache is dropped and nothing is announced for them (TransactionRunner's
 * Touched). The handlers' writes are their own transactions.
 */
const BOOKKEEPING: Touched = {};

/** Delivers one stored event to one handler; a rejection is a failed attempt. */
export type OutboxHandler = (payload: unknown) => Promise<void>;

export interface OutboxOptions {
  /** How long a claimed row is held by its dispatcher before another may take it. */
  readonly leaseMs: number;
  /** The longest wait between two looks at the table (rows of other instances, expired leases). */
  readonly pollMs: number;
  /** Rows read per look. */
  readonly batch: number;
  /** Attempts before a row is left as failed. */
  readonly maxAttempts: number;
  /** The wait after the first failure; doubled after each further one, up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  leaseMs: 30_000,
  pollMs: 5_000,
  batch: 50,
  maxAttempts: 10,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
};

/**
 * Delivers a whole batch of stored events to one handler at once, in random order: the
 * handler writes their effects together (in random groups), so neither the order nor the
 * time of the writes follows the events' (docs/anonymity.md, "Mixed delivery").
 */
export type OutboxBatchHandler = (payloads: unknown[]) => Promise<void>;

/** When a mixed batch goes out. */
export interface MixingOptions {
  /** Events are held until the end of the window they were published in (0: not held). */
  readonly windowMs: number;
  /** A batch waits until it holds this many due events… */
  readonly minBatch: number;
  /** …or until its oldest due event has waited this long past its window. */
  readonly maxWaitMs: number;
}

/** The handlers a dispatcher delivers to, by name. */
export interface OutboxHandlers {
  /** Handlers of single events. */
  names(): string[];
  get(name: string): OutboxHandler | undefined;
  /** Handlers of mixed batches. */
  batchNames(): string[];
  getBatch(name: string): { handle: OutboxBatchHandler; mixing: MixingOptions } | undefined;
}

/** The most events one mixed batch takes (more wait for the next). */
const MAX_MIXED_BATCH = 1000;

/** Rows of a mixed batch claimed by one statement (well under either engine's bound parameters). */
const CLAIMS_PER_STATEMENT = 200;

interface DueRow {
  id: string;
  type: string;
  handler: string;
  payload: unknown;
  notBefore?: Date;
}

/**
 * Delivers one store's `outbox_events` rows to their handlers, after the transactions that
 * wrote them have committed (`kick`, or `wake` for rows due later), and on its own every
 * `pollMs` at most (rows written by another instance, retries that fell due, leases of a
 * stopped instance that ran out).
 *
 * Each row is claimed before delivery by a conditional UPDATE that sets `claimed_until` only
 * if nobody holds it, so with several instances on one PostgreSQL store a row is handled by
 * one of them at a time. A row is deleted once its handler resolved; a rejection puts it back
 * with `not_before` moved on (exponential backoff with jitter), and after `maxAttempts` it is
 * kept with `failed_at` set, logged with its id, type and handler only (never its payload).
 * Delivery is at least once: a process killed between a handler's success and the delete runs
 * the handler again later, so handlers are idempotent.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | null = null;
  /** When `timer` fires (epoch ms). */
  private timerAt = 0;
  /** A look at the store's next due row is under way (`schedule`). */
  private scheduling = false;
  /** The latest time by which a row written since the last look must be looked at, or null. */
  private wakeBy: number | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private running = false;
  /** When a held mixed batch must go out even if it is still small (epoch ms), or null. */
  private heldUntil: number | null = null;
  /**
   * The time up to which the last look saw mixed-batch rows as due (epoch ms): the next look is
   * set by the rows due after it. Taken once per look rather than read afresh, so that a row
   * falling due between the look and the reading of the next due time (a timer may fire a
   * millisecond before `Date.now()` reaches its time) is not missed until the next poll.
   */
  private mixedLookedAt = 0;

  constructor(
    readonly store: StoreName,
    private readonly transactions: TransactionRunner,
    private readonly handlers: OutboxHandlers,
    private readonly logger: LoggerService,
    private readonly options: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {}

  /**
   * Starts delivering: rows left failed by an earlier run get a new round of attempts (a
   * restart after a fix delivers them), then everything due is drained, as after any commit.
   * Start-up recovery is nothing else: rows of a process that stopped are simply still there.
   * On SQLite, where one process serves the store, a lease still held can only be a dead
   * process's and is dropped at once; on PostgreSQL it runs out after `leaseMs`.
   */
  async start(): Promise<void> {
    this.running = true;
    const single = this.transactions.dataSource(this.store).options.type === 'better-sqlite3';
    try {
      await this.bookkeeping(async (manager) => {
        await manager
          .createQueryBuilder()
          .update(OutboxEventEntity)
          .set({ failedAt: () => 'NULL', attempts: () => '0' })
          .where('failed_at IS NOT NULL')
          .execute();
        if (single) {
          await manager
            .createQueryBuilder()
            .update(OutboxEventEntity)
            .set({ claimedUntil: () => 'NULL' })
            .where('claimed_until IS NOT NULL')
            .execute();
        }
      });
    } catch (error: unknown) {
      this.logger.warn?.({ msg: 'Could not reset failed outbox events', err: errorName(error) });
    }
    this.kick();
  }

  /** One of the dispatcher's own transactions on its store: it writes only `outbox_events` rows. */
  private bookkeeping<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transactions.run(this.store, work, BOOKKEEPING);
  }

  /** Stops delivering; resolves once a delivery under way has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Looks for due rows now (coalesced: a look already under way looks again when done). */
  kick(): void {
    if (!this.running) return;
    if (this.draining !== null) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // Every row written before now is in the store: the look after this drain finds it.
    this.wakeBy = null;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.running) this.schedule();
    });
  }

  /**
   * Rows that fall due at `at` have been committed: a row due now is looked for at once
   * (`kick`); one due later only moves the timer forward if it would fire after `at`. A
   * comment's notice waits in its mixing window: looking for due rows the moment it is written
   * would find none, and cost four reads per comment.
   */
  wake(at: number): void {
    if (!this.running) return;
    if (at <= Date.now()) {
      this.kick();
      return;
    }
    // A drain under way looks for the next due row once it is done, and finds this one.
    if (this.draining !== null) return;
    this.wakeBy = Math.min(this.wakeBy ?? at, at);
    // A look for the next due row under way sets its timer by `wakeBy` too.
    if (this.scheduling || (this.timer !== null && this.timerAt <= at)) return;
    this.setTimer(at - Date.now());
  }

  /** Resolves once no look is under way (for tests: what was due has been attempted). */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  /** Rows not yet delivered (pending, including claimed ones) and rows left failed. */
  async counts(): Promise<{ pending: number; failed: number }> {
    const rows = await this.transactions
      .dataSource(this.store)
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .select('CASE WHEN e.failedAt IS NULL THEN 0 ELSE 1 END', 'failed')
      .addSelect('COUNT(*)', 'count')
      .groupBy('CASE WHEN e.failedAt IS NULL THEN 0 ELSE 1 END')
      .getRawMany<{ failed: number | string; count: number | string }>();
    const count = (failed: number) =>
      Number(rows.find((row) => Number(row.failed) === failed)?.count ?? 0);
    return { pending: count(0), failed: count(1) };
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const due = await this.due();
          if (due.length === 0) break;
          for (const row of due) {
            if (!this.running) return;
            const lease = await this.claim(row.id);
            if (lease !== null) await this.deliver(row, lease);
          }
        }
        this.heldUntil = null;
        const now = Date.now();
        this.mixedLookedAt = now;
        for (const name of this.handlers.batchNames()) {
          if (!this.running) return;
          await this.deliverMixed(name, now);
        }
      } while (this.again && this.running);
    } catch (error: unknown) {
      // The store is unreachable (or closing): the next look tries again.
      this.logger.warn?.({
        msg: 'Outbox delivery interrupted',
        store: this.store,
        err: errorName(error),
      });
    }
  }

  /** Due rows this process has handlers for, in delivery order (`not_before`, then random id). */
  private due(): Promise<DueRow[]> {
    const handlers = this.handlers.names();
    if (handlers.length === 0) return Promise.resolve([]);
    const now = Date.now();
    return this.transactions
      .dataSource(this.store)
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .select(['e.id', 'e.type', 'e.handler', 'e.payload'])
      .where('e.failedAt IS NULL')
      .andWhere('e.notBefore <= :now', { now })
      .andWhere('(e.claimedUntil IS NULL OR e.claimedUntil <= :now)', { now })
      .andWhere('e.handler IN (:...handlers)', { handlers })
      .orderBy('e.notBefore', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(this.options.batch)
      .getMany();
  }

  /**
   * Takes the row for `leaseMs` if nobody holds it (`claimMany` of one: of two dispatchers,
   * one changes the row and the other changes nothing). Returns the lease's end, or null when
   * the row was taken, delivered or failed meanwhile.
   */
  private async claim(id: string): Promise<number | null> {
    const { ids, lease } = await this.claimMany([id]);
    return ids.has(id) ? lease : null;
  }

  /**
   * Takes for `leaseMs` those of `ids` that nobody holds, in one conditional UPDATE … RETURNING
   * (the same statement on SQLite ≥ 3.35 and PostgreSQL; TypeORM's builder offers RETURNING on
   * PostgreSQL only): of two dispatchers, each row goes to one. Returns the ids taken and the
   * lease's end.
   */
  private async claimMany(ids: readonly string[]): Promise<{ ids: Set<string>; lease: number }> {
    const now = Date.now();
    const until = now + this.options.leaseMs;
    const taken = await this.bookkeeping((manager) =>
      this.updateReturningIds(
        manager,
        `SET claimed_until = :until, attempts = attempts + 1
         WHERE id IN (:...ids) AND failed_at IS NULL AND not_before <= :now
           AND (claimed_until IS NULL OR claimed_until <= :now)`,
        { until, now, ids },
      ),
    );
    return { ids: taken, lease: until };
  }

  private async deliver(row: DueRow, lease: number): Promise<void> {
    const handler = this.handlers.get(row.handler);
    try {
      if (handler === undefined) throw new Error(`No handler "${row.handler}"`);
      await handler(row.payload);
    } catch (error: unknown) {
      await this.failed(row, lease, error);
      return;
    }
    await this.bookkeeping((manager) => manager.delete(OutboxEventEntity, { id: row.id }));
  }

  /**
   * Delivers the due events of a mixed-batch handler, all at once and shuffled, once there
   * are at least `minBatch` of them or the oldest has waited `maxWaitMs`; otherwise holds
   * them (and remembers when they must go at the latest). Each row is claimed first, as for
   * single events; a rejected batch puts every row back for its next attempt.
   */
  private async deliverMixed(name: string, now: number): Promise<void> {
    const batch = this.handlers.getBatch(name);
    if (batch === undefined) return;
    const rows: DueRow[] = await this.transactions
      .dataSource(this.store)
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .select(['e.id', 'e.type', 'e.handler', 'e.payload', 'e.notBefore'])
      .where('e.failedAt IS NULL')
      .andWhere('e.notBefore <= :now', { now })
      .andWhere('(e.claimedUntil IS NULL OR e.claimedUntil <= :now)', { now })
      .andWhere('e.handler = :name', { name })
      .orderBy('e.notBefore', 'ASC')
      .limit(MAX_MIXED_BATCH)
      .getMany();
    const held = mixedBatchHeld(
      rows.map((row) => row.notBefore?.getTime() ?? now),
      now,
      batch.mixing,
    );
    if (held !== false) {
      if (held !== null) this.heldUntil = Math.min(this.heldUntil ?? held, held);
      return;
    }
    // Up to a thousand rows, claimed a chunk per statement: paced, so requests keep the loop.
    const pacer = new LoopPacer();
    let claimed: { row: DueRow; lease: number }[] = [];
    for (let from = 0; from < rows.length; from += CLAIMS_PER_STATEMENT) {
      if (from > 0) await pacer.pause();
      const chunk = rows.slice(from, from + CLAIMS_PER_STATEMENT);
      const { ids, lease } = await this.claimMany(chunk.map((row) => row.id));
      for (const row of chunk) if (ids.has(row.id)) claimed.push({ row, lease });
    }
    if (claimed.length === 0) return;
    claimed = shuffled(claimed);
    // A paced batch can outlast its lease: it is renewed while the handler works.
    const renewal = this.keepLeases(claimed);
    try {
      await batch.handle(claimed.map(({ row }) => row.payload));
    } catch (error: unknown) {
      await renewal.stop();
      for (const { row, lease } of claimed) await this.failed(row, lease, error);
      return;
    }
    await renewal.stop();
    await this.bookkeeping((manager) =>
      manager.delete(
        OutboxEventEntity,
        claimed.map(({ row }) => row.id),
      ),
    );
  }

  /**
   * Renews the leases of a batch's rows every third of `leaseMs` until stopped, so that no
   * other instance takes them while the handler still works (a paced batch of a thousand
   * events can take minutes under load). Each renewal moves a row's lease on only while it is
   * still the one this dispatcher set (`claimed_until = lease`), and records the new one in
   * `claimed` for `failed`. A renewal that fails (the store unreachable) is tried again at the
   * next tick; `stop` waits for one under way.
   */
  private keepLeases(claimed: { row: DueRow; lease: number }[]): { stop: () => Promise<void> } {
    let running: Promise<void> = Promise.resolve();
    const renew = async () => {
      const until = Date.now() + this.options.leaseMs;
      const byLease = new Map<number, typeof claimed>();
      for (const entry of claimed) {
        const entries = byLease.get(entry.lease);
        if (entries === undefined) byLease.set(entry.lease, [entry]);
        else entries.push(entry);
      }
      for (const [lease, entries] of byLease) {
        for (let from = 0; from < entries.length; from += CLAIMS_PER_STATEMENT) {
          const chunk = entries.slice(from, from + CLAIMS_PER_STATEMENT);
          const renewed = await this.bookkeeping((manager) =>
            this.updateReturningIds(
              manager,
              `SET claimed_until = :until WHERE id IN (:...ids) AND claimed_until = :lease`,
              { until, lease, ids: chunk.map((entry) => entry.row.id) },
            ),
          );
          for (const entry of chunk) if (renewed.has(entry.row.id)) entry.lease = until;
        }
      }
    };
    const timer = setInterval(() => {
      running = running.then(renew).catch((error: unknown) => {
        this.logger.warn?.({
          msg: 'Could not renew the leases of a mixed batch',
          store: this.store,
          err: errorName(error),
        });
      });
    }, this.options.leaseMs / 3);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }

  /**
   * `UPDATE outbox_events <assignments and condition> RETURNING id`: the ids of the rows it
   * changed. The same SQL on SQLite ≥ 3.35 and PostgreSQL; TypeORM's builder offers RETURNING
   * on PostgreSQL only.
   */
  private async updateReturningIds(
    manager: EntityManager,
    assignmentsAndCondition: string,
    parameters: Record<string, unknown>,
  ): Promise<Set<string>> {
    const { connection } = manager;
    const [sql, bound] = connection.driver.escapeQueryWithParameters(
      `UPDATE ${escapedTablePath(connection, OutboxEventEntity)} ${assignmentsAndCondition} RETURNING id`,
      parameters,
    );
    // SQLite gives the rows; PostgreSQL, for an UPDATE, the rows and the count.
    const raw = await manager.query<unknown[]>(sql, bound);
    const rows = (Array.isArray(raw[0]) ? raw[0] : raw) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /** A failed attempt: the row waits for its next one, or is left failed after the last. */
  private async failed(row: DueRow, lease: number, error: unknown): Promise<void> {
    await this.bookkeeping(async (manager: EntityManager) => {
      const stored = await manager.findOne(OutboxEventEntity, {
        select: { id: true, attempts: true },
        where: { id: row.id },
      });
      if (stored === null) return;
      const base = {
        eventId: row.id,
        type: row.type,
        handler: row.handler,
        err: errorName(error),
      };
      const update = manager
        .createQueryBuilder()
        .update(OutboxEventEntity)
        .where('id = :id', { id: row.id })
        // Only while the lease is still this dispatcher's: one that ran out may be another's now.
        .andWhere('claimed_until = :lease', { lease });
      if (stored.attempts >= this.options.maxAttempts) {
        await update
          .set({ failedAt: () => String(Date.now()), claimedUntil: () => 'NULL' })
          .execute();
        this.logger.error({
          msg: 'A domain event handler failed for good; the event is kept and retried at the next start',
          ...base,
          attempts: stored.attempts,
        });
        return;
      }
      const delay = this.backoff(stored.attempts);
      await update
        .set({ notBefore: () => String(Date.now() + delay), claimedUntil: () => 'NULL' })
        .execute();
      this.logger.warn?.({
        msg: 'A domain event handler failed; retrying',
        ...base,
        attempt: stored.attempts,
        retryInMs: delay,
      });
    });
  }

  /** The wait after the `attempts`-th failure: doubling from `retryBaseMs`, ±20 % jitter. */
  private backoff(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.options;
    const plain = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(plain * (0.8 + Math.random() * 0.4));
  }

  /** Sets the timer for the next look: the earliest due row, or `pollMs` at most. */
  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.scheduling = true;
    void this.nextDue()
      .catch(() => null)
      .then((next) => {
        this.scheduling = false;
        if (!this.running || this.draining !== null) return;
        const soonest = [next, this.heldUntil, this.wakeBy].filter((t): t is number => t !== null);
        const wait =
          soonest.length === 0
            ? this.options.pollMs
            : Math.min(this.options.pollMs, Math.max(0, Math.min(...soonest) - Date.now()));
        this.setTimer(wait);
      });
  }

  private setTimer(wait: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = Date.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
    this.timer.unref();
  }

  /**
   * When the next row falls due (its `not_before`, or its lease's end), or null. Rows of mixed
   * batches count only while the last look did not see them due (`mixedLookedAt`): once seen,
   * a held batch is looked at again when it must go (`heldUntil`) or when a new row may
   * complete it. Two reads that each stop at their first row on an index (`idx_outbox_due`,
   * `idx_outbox_claimed`): the rows waiting in a mixing window, however many, are not walked.
   */
  private async nextDue(): Promise<number | null> {
    const handlers = [...this.handlers.names(), ...this.handlers.batchNames()];
    if (handlers.length === 0) return null;
    const mixed = this.handlers.batchNames();
    const lookedAt = this.mixedLookedAt;
    const waiting = () =>
      this.transactions
        .dataSource(this.store)
        .getRepository(OutboxEventEntity)
        .createQueryBuilder('e')
        .where('e.failedAt IS NULL')
        .andWhere('e.handler IN (:...handlers)', { handlers })
        .andWhere(
          mixed.length === 0
            ? '1 = 1'
            : '(e.handler NOT IN (:...mixed) OR e.notBefore > :lookedAt)',
          { mixed, lookedAt },
        );
    const [unleased, leased] = await Promise.all([
      waiting()
        .select('e.notBefore', 'next')
        .andWhere('(e.claimedUntil IS NULL OR e.claimedUntil <= e.notBefore)')
        .orderBy('e.notBefore', 'ASC')
        .limit(1)
        .getRawOne<{ next: number | string }>(),
      // `>= 0` rather than IS NOT NULL: a range both engines walk on the index, past the NULLs.
      waiting()
        .select('e.claimedUntil', 'next')
        .andWhere('e.claimedUntil >= 0')
        .andWhere('e.claimedUntil > e.notBefore')
        .orderBy('e.claimedUntil', 'ASC')
        .limit(1)
        .getRawOne<{ next: number | string }>(),
    ]);
    const times = [unleased, leased].flatMap((row) =>
      row === undefined ? [] : [Number(row.next)],
    );
    return times.length === 0 ? null : Math.min(...times);
  }
}

/**
 * Whether a mixed batch whose due events fell due at `dueTimes` goes out `now`: false when it
 * goes, else the time it must go at the latest (null when there is nothing to send). It goes
 * once it holds `minBatch` events or its oldest has waited `maxWaitMs` (bench/mixing.bench.ts
 * measures the delay this adds).
 */
export function mixedBatchHeld(
  dueTimes: readonly number[],
  now: number,
  mixing: MixingOptions,
): number | null | false {
  if (dueTimes.length === 0) return null;
  const deadline = Math.min(...dueTimes) + mixing.maxWaitMs;
  return dueTimes.length < mixing.minBatch && deadline > now ? deadline : false;
}

/** What a log line may say about an error: its class, never its message (it may quote data). */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
