import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** How much of the event loop a paced piece of background work may take. */
export interface PaceOptions {
  /** The share of what the rest of the process leaves of the loop that the work may take. */
  readonly ofSpare: number;
  /** The least share it takes however busy the loop is, so that it always moves on. */
  readonly minShare: number;
  /** Work shorter than this since the last wait only yields a turn (small batches never wait). */
  readonly sliceMs: number;
  /** The longest single wait. */
  readonly maxWaitMs: number;
}

export const DEFAULT_PACE: PaceOptions = {
  ofSpare: 0.25,
  minShare: 0.05,
  sliceMs: 10,
  maxWaitMs: 500,
};

/**
 * Paces a long piece of background work that runs on the event loop in chunks (a mixed
 * batch's claims, audience checks and writes, docs/performance.md), so that it takes at most
 * a bounded share of the loop and requests keep theirs. After each chunk the work calls
 * `pause()`: once it has worked `sliceMs` or more since its last wait, it waits in proportion,
 * `worked × (1 / share − 1)`, so that over time it holds the loop for `share` of the time. The
 * share follows the load: it is `ofSpare` of what the loop had to spare while the work last
 * waited (its utilization then, `performance.eventLoopUtilization`, is the rest of the
 * process's), never less than `minShare`. With the defaults, on an idle server a batch takes
 * about four times its own time; under load it yields almost everything and finishes later
 * (the whole loop then stays below `busy + ofSpare × (1 − busy)`: 0.78 when requests take 0.7).
 *
 * Hand-written: rate limiters (bottleneck, p-limit) bound how many calls run or how often, not
 * how much of the event loop they take, and nothing here knows a chunk's cost in advance.
 */
export class LoopPacer {
  private share: number;
  private since: number;
  private owed = 0;

  constructor(
    private readonly options: PaceOptions = DEFAULT_PACE,
    private readonly loop: PacedLoop = EVENT_LOOP,
  ) {
    this.share = options.ofSpare;
    this.since = loop.now();
  }

  /** The share of the loop the work is now allowed. */
  get currentShare(): number {
    return this.share;
  }

  /** Ends a chunk: yields a turn, and waits once the work has had its share. */
  async pause(): Promise<void> {
    this.owed += this.loop.now() - this.since;
    if (this.owed < this.options.sliceMs) {
      await this.loop.turn();
      this.since = this.loop.now();
      return;
    }
    const wait = Math.min(this.options.maxWaitMs, this.owed * (1 / this.share - 1));
    this.owed = 0;
    const busy = await this.loop.wait(wait);
    this.share = Math.max(this.options.minShare, this.options.ofSpare * (1 - busy));
    this.since = this.loop.now();
  }
}

/** What the pacer reads and waits on (the process's event loop; a scripted one in unit specs). */
export interface PacedLoop {
  /** A monotonic clock, in milliseconds. */
  now(): number;
  /** Resolves at the next turn of the loop. */
  turn(): Promise<void>;
  /** Waits `ms`, resolving to the loop's utilization (0–1) meanwhile. */
  wait(ms: number): Promise<number>;
}

const EVENT_LOOP: PacedLoop = {
  now: () => performance.now(),
  turn: () => nextTurn(),
  async wait(ms) {
    const before: EventLoopUtilization = performance.eventLoopUtilization();
    await sleep(ms);
    return performance.eventLoopUtilization(before).utilization;
  },
};
