import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import protect from 'overload-protection';
import type { Logger as PinoInstance } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { ErrorCode } from '../../common/errors/error-code';

/** How often the event-loop delay is sampled, in ms (overload-protection's default). */
const SAMPLE_MS = 5;
/** While shedding goes on, one warning per this many ms (with the count since the last). */
const LOG_EVERY_MS = 10_000;

/** Paths never shed: a balancer and Prometheus must keep seeing the truth under load. */
const EXEMPT = /^\/(health(\/|$)|metrics(\/|$|\?))/;

export interface LoadSheddingOptions {
  /** Event-loop delay past which requests are refused; 0: never (and no admission bound either). */
  maxEventLoopDelayMs: number;
  /** Requests run at once at most; past it they wait for a slot. 0: no bound. */
  maxInFlight: number;
  /** How long a request may wait for a slot before it is refused, in ms. */
  maxQueueMs: number;
  retryAfterSeconds: number;
  registry: Registry;
  logger: PinoInstance;
}

/**
 * Load shedding on event-loop delay. Past capacity, requests queue in the event loop and
 * every one of them waits longer, until clients time out; instead, while the loop runs more
 * than `maxEventLoopDelayMs` late, a request is answered at once with 503, `Retry-After` and a
 * GraphQL-shaped body (`extensions.code` OVERLOADED) before anything reads its body, so the
 * requests that are served stay fast and a client knows when to come back.
 *
 * overload-protection samples the delay (loopbench, every 5 ms) and keeps the `overload`
 * flag; its own Express middleware is not used as is because its answer is plain text, and
 * health checks and metrics must not be shed. Health, metrics and WebSocket upgrades (which
 * do not pass through Express) are never shed. Returns undefined when shedding is off.
 */
export function loadShedding(
  options: LoadSheddingOptions,
):
  | { middleware: (req: Request, res: Response, next: NextFunction) => void; stop(): void }
  | undefined {
  // Registered even when shedding is off, so that dashboards and alerts read 0, not nothing.
  const shedTotal = new Counter({
    name: 'http_requests_shed_total',
    help: 'HTTP requests answered 503 OVERLOADED because the event loop ran late or no slot freed in time',
    labelNames: ['reason'],
    registers: [options.registry],
  });
  for (const reason of ['event_loop_delay', 'queue_wait']) shedTotal.inc({ reason }, 0);
  if (options.maxEventLoopDelayMs === 0) return undefined;
  const probe = protect('express', {
    production: true,
    sampleInterval: SAMPLE_MS,
    maxEventLoopDelay: options.maxEventLoopDelayMs,
  });
  const retryAfter = String(options.retryAfterSeconds);
  const body = JSON.stringify({
    errors: [
      {
        message: `The server is overloaded; try again in ${retryAfter} s.`,
        extensions: { code: ErrorCode.OVERLOADED, retryAfterSeconds: options.retryAfterSeconds },
      },
    ],
  });
  let sampling = true;
  let lastLogAt = -Infinity;
  let shedSinceLog = 0;
  // The sampler's flag changes only between turns of the event loop: a turn that reads a burst
  // of requests and runs their work keeps it false throughout. A timer due every SAMPLE_MS that
  // has not run for longer than the limit says the loop is late right now, mid-turn, so the
  // requests read late in a long turn are shed at once instead of adding to it.
  let tickAt = performance.now();
  const lateNow = (): boolean =>
    performance.now() - tickAt > SAMPLE_MS + options.maxEventLoopDelayMs;

  // Admission. The loop-delay checks alone leave one gap: every request read in the same turn
  // is admitted before any of them runs, and admitted requests then share the loop, so a burst
  // of several hundred makes every turn long, and new requests (503s included) wait that long
  // to be read at all (7 s p99 at twice capacity, measured). At most `maxInFlight` requests run
  // at once; the others wait in arrival order, costing nothing until a slot frees, and one that
  // has not started within `maxQueueMs` is refused before anything read its body. A turn then
  // holds at most `maxInFlight` requests' work, which bounds how late anything is read.
  // Written here rather than taken from a semaphore library (p-limit, async-sema): none refuses
  // a waiter after a deadline without a timer per waiter, and this is a counter and a list.
  const bounded = options.maxInFlight > 0;
  let inFlight = 0;
  const waiting: Array<{ at: number; res: Response; next: NextFunction }> = [];
  let head = 0;
  const release = (): void => {
    inFlight -= 1;
    startWaiting();
  };
  const admit = (res: Response, next: NextFunction): void => {
    inFlight += 1;
    res.once('close', release);
    next();
  };
  const refuse = (res: Response, reason: 'event_loop_delay' | 'queue_wait'): void => {
    shedTotal.inc({ reason });
    shedSinceLog += 1;
    const now = performance.now();
    if (now - lastLogAt >= LOG_EVERY_MS) {
      options.logger.warn(
        {
          shed: shedSinceLog,
          reason,
          eventLoopDelayMs: Math.round(probe.eventLoopDelay),
          maxEventLoopDelayMs: options.maxEventLoopDelayMs,
          inFlight,
          waiting: waiting.length - head,
        },
        'Overloaded: answering 503 OVERLOADED instead of queueing requests',
      );
      lastLogAt = now;
      shedSinceLog = 0;
    }
    res.statusCode = 503;
    res.setHeader('Retry-After', retryAfter);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(body);
  };
  /** Starts waiting requests while slots are free; refuses those that waited past the limit. */
  function startWaiting(): void {
    const now = performance.now();
    while (head < waiting.length && (inFlight < options.maxInFlight || !sampling)) {
      const entry = waiting[head];
      waiting[head] = undefined as never;
      head += 1;
      // A client that gave up while waiting: nothing to answer, no slot to take.
      if (entry.res.destroyed) continue;
      if (sampling && now - entry.at > options.maxQueueMs) refuse(entry.res, 'queue_wait');
      else admit(entry.res, entry.next);
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
  }
  /** Refuses, from the front, the waiting requests that can no longer start in time. */
  function expireWaiting(): void {
    const now = performance.now();
    while (head < waiting.length && now - waiting[head].at > options.maxQueueMs) {
      const entry = waiting[head];
      waiting[head] = undefined as never;
      head += 1;
      if (!entry.res.destroyed) refuse(entry.res, 'queue_wait');
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
  }

  const ticker = setInterval(() => {
    tickAt = performance.now();
    if (head < waiting.length) expireWaiting();
  }, SAMPLE_MS);
  ticker.unref();

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!sampling || EXEMPT.test(req.url)) {
      next();
      return;
    }
    if (probe.overload || lateNow()) {
      refuse(res, 'event_loop_delay');
      return;
    }
    if (!bounded) {
      next();
      return;
    }
    if (inFlight < options.maxInFlight && head === waiting.length) admit(res, next);
    else if (options.maxQueueMs === 0) refuse(res, 'queue_wait');
    // Bound to this request's async context: it starts from whichever request frees a slot,
    // and must not run in that one's context (its request id, its transaction).
    else waiting.push({ at: performance.now(), res, next: AsyncResource.bind(next) });
  };
  // Stopped when shutdown starts: what was accepted is answered (the waiting requests start
  // now), and the last sample no longer holds.
  const stop = (): void => {
    sampling = false;
    probe.stop();
    clearInterval(ticker);
    startWaiting();
  };
  return { middleware, stop };
}
