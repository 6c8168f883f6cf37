import { createHmac } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { normalizeIp, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import type { KeyRing } from '../crypto/key-ring';

/**
 * Named budgets counted per signed-in account (per client address for a visitor), shared by
 * every operation of the group: a comment and an edit spend the same posting budget.
 */
export enum AccountRateLimit {
  /** createThread, createComment, editThread, editComment: POST_RATE_LIMIT_MAX per 10 minutes. */
  POST = 'post',
  /** vote: VOTE_RATE_LIMIT_MAX per minute. */
  VOTE = 'vote',
  /** report, appeal: REPORT_RATE_LIMIT_MAX per hour. */
  REPORT = 'report',
  /** search: SEARCH_RATE_LIMIT_MAX per minute (per client address for a visitor). */
  SEARCH = 'search',
}

export const ACCOUNT_RATE_LIMITS: ReadonlySet<string> = new Set<string>(
  Object.values(AccountRateLimit),
);

export const ACCOUNT_RATE_LIMIT_METADATA = 'rate-limit:account';

const ACCOUNT_TRACKER = 'account:';

/** Whether a throttler's tracker is a signed-in account (else a client address, shared). */
export const isAccountTracker = (tracker: string): boolean => tracker.startsWith(ACCOUNT_TRACKER);

export function accountRateLimitOf(context: ExecutionContext): string | undefined {
  return Reflect.getMetadata(ACCOUNT_RATE_LIMIT_METADATA, context.getHandler()) as
    string | undefined;
}

/**
 * The named throttler of one account budget: counted only on operations marked with it, per
 * account, one counter for the whole group (the key names the budget and the tracker, not
 * the operation).
 *
 * The tracker is `HMAC(rate-limit key, account id)`: the account id never reaches the
 * counters (in memory, or in Redis when instances share them), and without APP_SECRET a
 * counter's key cannot be matched to an account. A visitor (no principal: search is the one
 * operation under these budgets open to visitors) is tracked by client address.
 */
export function accountThrottler(
  name: AccountRateLimit,
  ttlMs: number,
  limit: number,
  keys: KeyRing,
): ThrottlerOptions {
  const key = keys.key('rate-limit');
  return {
    name,
    ttl: ttlMs,
    limit,
    skipIf: (context) => accountRateLimitOf(context) !== name,
    getTracker: (req) => {
      const principal = (req as Request & { principal?: Principal }).principal;
      if (principal !== undefined)
        return `${ACCOUNT_TRACKER}${createHmac('sha256', key).update(`account\0${principal.accountId}`).digest('base64url')}`;
      return `ip:${normalizeIp((req as Request).ip ?? 'unknown')}`;
    },
    generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
  };
}
