import type { GraphQLResponse } from '@apollo/server';
import type { Request, Response } from 'express';
import { OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RateLimitedException } from '../../common/errors';
import type { AppConfig } from '../config/app-config';
import type { Touched } from '../database/transaction-runner';
import type { ContentWrites } from '../events/content-writes';
import { noteRequestOperation } from '../logging/request-operation';
import type { MetricsService } from '../metrics/metrics.service';
import type { ThrottlerCounterStorage } from '../rate-limit/throttler-counter-storage';

/**
 * What the answer caches (visitor-cache.ts, member-answers.ts) share: a cached answer costs
 * its reader the same request budget as a computed one, and a spent budget is answered as the
 * resolvers' guard answers it.
 */

/**
 * Counts a cached answer against the client address's general budget, as the resolvers'
 * guard would count the computed one (a counter of its own per cache, like the guard's per
 * operation); true when it is spent.
 */
export async function cachedAnswerOverBudget(
  limits: ThrottlerCounterStorage,
  config: AppConfig,
  cache: 'visitor-cache' | 'member-cache',
  req: Request,
): Promise<boolean> {
  const address = req.ips.length > 0 ? req.ips[0] : (req.ip ?? '');
  const ttl = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const { isBlocked } = await limits.increment(
    `${cache}:${address}`,
    ttl,
    config.RATE_LIMIT_MAX,
    ttl,
    'default',
  );
  return isBlocked;
}

/** The answer to a request whose budget is spent: the whole window, as the guard answers a per-address budget. */
export function overBudgetAnswer(config: AppConfig): GraphQLResponse {
  const refusal = new RateLimitedException(config.RATE_LIMIT_WINDOW_SECONDS, 'default');
  return cachedAnswer({
    kind: 'single',
    singleResult: {
      data: null,
      errors: [
        {
          message: refusal.message,
          extensions: { ...refusal.details, code: refusal.code },
        },
      ],
    },
  });
}

/** A response for Apollo's responseForOperation hook (which fills in the HTTP part's status). */
export function cachedAnswer(body: GraphQLResponse['body']): GraphQLResponse {
  return { http: { headers: new Map() }, body } as unknown as GraphQLResponse;
}

/** Answers a cache keeps at most (a feed page of 20 threads is about 6 KB). */
const MAX_KEPT = 2_000;

/**
 * The kept answers of a cache whose answers live `ttlMs` (null when 0: the cache is off), with
 * `written` called at every content write (this instance's, or another's announced) with what
 * it touched, and `dispose` when an answer leaves the cache (dropped, evicted or replaced).
 */
export function keptAnswers<E extends object>(
  ttlMs: number,
  writes: ContentWrites,
  written: (touched: Touched | null) => void,
  dispose?: (entry: E, key: string) => void,
): LRUCache<string, E> | null {
  if (ttlMs <= 0) return null;
  writes.onWrite(written);
  return new LRUCache<string, E>({ max: MAX_KEPT, ttl: ttlMs, ttlAutopurge: false, dispose });
}

/** An answer as it went out: its headers but `x-request-id` (names as written), and its bytes. */
export interface SentAnswer {
  readonly headers: ReadonlyArray<readonly [string, number | string | readonly string[]]>;
  readonly bytes: Buffer;
}

/** A kept answer, as Apollo's pipeline returned it and, once a POST was answered, as it went out. */
export interface KeptAnswer {
  readonly body: GraphQLResponse['body'];
  /** The operation's name as the metrics plugin saw it, for a front-door hit's metrics and log line. */
  readonly operationName: string | null;
  http?: SentAnswer;
}

/** What a request asks, read from its body as Apollo reads it. */
export interface Asked {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** The only keys of a POST body a front-door hit answers (anything else goes to Apollo). */
const PLAIN_BODY_KEYS = new Set(['query', 'operationName', 'variables']);

/** The body of a plain GraphQL POST (a query string, and an operation name and variables at most); null otherwise. */
export function plainBody(req: Request): Asked | null {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const asked = body as Asked;
  if (typeof asked.query !== 'string') return null;
  for (const name of Object.keys(body)) if (!PLAIN_BODY_KEYS.has(name)) return null;
  return asked;
}

/**
 * The key of an answer: the query text, operation name, variables, the `Accept` header (it
 * picks the content type) and what else the answer depends on (`scope`); the same from the
 * front door's parsed body as from Apollo's request.
 */
export function answerKey(asked: Asked, req: Request, scope: string): string {
  return JSON.stringify([
    asked.query,
    asked.operationName ?? null,
    asked.variables ?? null,
    req.headers.accept ?? '',
    scope,
  ]);
}

/** What Apollo's plugin kept for a request: the key and the entry it kept under it. */
export interface KeptFor<E extends KeptAnswer> {
  readonly key: string;
  readonly entry: E;
  /**
   * The kept answer's text from the text sent to this request, when the two differ (a member's
   * own values in what was sent; null: not kept). Its length and ETag are then worked out as
   * Express works them out for the text it sends.
   */
  readonly keptAs?: (sent: string) => string | null;
}

/** Headers of a kept answer that follow from its bytes: worked out again for other bytes of it. */
const OF_THE_BYTES = new Set(['content-length', 'etag']);

/**
 * Keeps the answer Express sends for `req` with the entry Apollo's plugin kept for it under
 * `key` (`kept`), if no write came since (`generation()` unchanged) and that entry is still the
 * one `entries` holds — by wrapping this response's `send`, which Apollo's Express integration
 * calls once. Only a 200 answer without errors is kept (Apollo writes `errors` first): its
 * bytes and the headers that went out with them (read once sent, so with Express's ETag,
 * Content-Length and charset), but the request id; or, with `keptAs`, the kept text's.
 */
export function keepSentBytes<E extends KeptAnswer>(
  req: Request,
  res: Response,
  key: string,
  kept: WeakMap<Request, KeptFor<E>>,
  entries: LRUCache<string, E>,
  generation: () => number,
): void {
  const at = generation();
  const keptNow = (): KeptFor<E> | null => {
    const mine = kept.get(req);
    return mine?.key === key && at === generation() && entries.get(key) === mine.entry
      ? mine
      : null;
  };
  const send = res.send;
  res.send = (body?: unknown) => {
    res.send = send;
    const mine = keptNow();
    const contentType = res.getHeader('content-type');
    if (
      mine === null ||
      res.statusCode !== 200 ||
      typeof contentType !== 'string' ||
      typeof body !== 'string' ||
      !body.startsWith('{"data":')
    )
      return send.call(res, body);
    const sent = send.call(res, body);
    const text = mine.keptAs === undefined ? body : mine.keptAs(body);
    if (text === null) return sent;
    const bytes = Buffer.from(text);
    mine.entry.http = {
      // outgoingMessage.getRawHeaderNames() (Node 15.13+; @types/node types it on ClientRequest only).
      headers: (res as unknown as { getRawHeaderNames(): string[] })
        .getRawHeaderNames()
        .filter((name) => name.toLowerCase() !== 'x-request-id')
        .map((name) => [
          name,
          text !== body && OF_THE_BYTES.has(name.toLowerCase())
            ? ofTheBytes(req, name, bytes)
            : res.getHeader(name)!,
        ]),
      bytes,
    };
    return sent;
  };
}

/**
 * Sends a kept answer at the front door as it went out the first time (status, headers, bytes;
 * the request id is this request's), with this request's GraphQL metrics and log line. With
 * `own`, another text of the same answer (a member's own values filled in) is sent instead,
 * with its own length and ETag (Express's ETag function, as `res.send` uses it).
 */
export function sendKeptAnswer(
  req: Request,
  res: Response,
  entry: KeptAnswer,
  http: SentAnswer,
  started: bigint,
  metrics: MetricsService,
  own?: string,
): void {
  // Recorded before sending, as Apollo's metrics plugin does: the log line reads it on 'finish'.
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const labels = metrics.recordGraphqlRequest(
    entry.operationName,
    OperationTypeNode.QUERY,
    'ok',
    seconds,
  );
  noteRequestOperation(req, labels);
  res.statusCode = 200;
  if (own === undefined) {
    for (const [name, value] of http.headers) res.setHeader(name, value);
    res.end(http.bytes);
    return;
  }
  const bytes = Buffer.from(own);
  for (const [name, value] of http.headers)
    res.setHeader(
      name,
      OF_THE_BYTES.has(name.toLowerCase()) ? ofTheBytes(req, name, bytes) : value,
    );
  res.end(bytes);
}

/** A header that follows from `bytes` (OF_THE_BYTES), as Express's `res.send` sets it for them. */
function ofTheBytes(req: Request, name: string, bytes: Buffer): string {
  if (name.toLowerCase() !== 'etag') return String(bytes.length);
  // Express's own ETag function, as its `res.send` uses it (there is an ETag, so it is on).
  return (req.app.get('etag fn') as (body: Buffer) => string)(bytes);
}
