import type { GraphQLResponse } from '@apollo/server';
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { RateLimitedException } from '../../common/errors';
import type { AppConfig } from '../config/app-config';
import type { ContentWrites } from '../events/content-writes';
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
 * `clear` called at every content write (this instance's, or another's announced).
 */
export function keptAnswers<E extends object>(
  ttlMs: number,
  writes: ContentWrites,
  clear: () => void,
): LRUCache<string, E> | null {
  if (ttlMs <= 0) return null;
  writes.onWrite(clear);
  return new LRUCache<string, E>({ max: MAX_KEPT, ttl: ttlMs, ttlAutopurge: false });
}
