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
  /** Event-loop delay past which requests are refused; 0: never. */
  maxEventLoopDelayMs: number;
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
    help: 'HTTP requests answered 503 OVERLOADED because the event loop ran late',
    registers: [options.registry],
  });
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
  const ticker = setInterval(() => (tickAt = performance.now()), SAMPLE_MS);
  ticker.unref();
  const lateNow = (): boolean =>
    performance.now() - tickAt > SAMPLE_MS + options.maxEventLoopDelayMs;
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!sampling || !(probe.overload || lateNow()) || EXEMPT.test(req.url)) {
      next();
      return;
    }
    shedTotal.inc();
    shedSinceLog += 1;
    const now = performance.now();
    if (now - lastLogAt >= LOG_EVERY_MS) {
      options.logger.warn(
        {
          shed: shedSinceLog,
          eventLoopDelayMs: Math.round(probe.eventLoopDelay),
          maxEventLoopDelayMs: options.maxEventLoopDelayMs,
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
  // Stopped when shutdown starts: what was accepted is answered, and the last sample no longer holds.
  const stop = (): void => {
    sampling = false;
    probe.stop();
    clearInterval(ticker);
  };
  return { middleware, stop };
}
