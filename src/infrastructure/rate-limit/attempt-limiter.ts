import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitedException } from '../../common/errors';

/**
 * Named budgets for sensitive operations (codes per address, sign-ins per address and per IP),
 * kept in the throttler's storage so they follow it to Redis when instances share counters.
 * Keys are hashed before they reach the storage: an IP address or a blind index never sits
 * in the limiter in clear.
 *
 * A spent budget answers with the whole window as `retryAfterSeconds`, not the time left in
 * it: that would tell when the window's first attempt came, which on a shared client address
 * is someone else's and on an email address whoever tried it last.
 */
@Injectable()
export class AttemptLimiter {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  /** Counts one attempt; throws RATE_LIMITED (retry after the window) once `limit` attempts were made within it. */
  async consume(bucket: string, key: string, limit: number, windowSeconds: number): Promise<void> {
    const { hits, retryAfterSeconds } = await this.hit(bucket, key, windowSeconds, limit);
    if (hits > limit) throw new RateLimitedException(retryAfterSeconds, bucket);
  }

  /**
   * Counts one attempt and says how many were made within the window, this one included, for
   * budgets the caller enforces itself (wrong email codes).
   */
  count(
    bucket: string,
    key: string,
    windowSeconds: number,
  ): Promise<{ hits: number; retryAfterSeconds: number }> {
    return this.hit(bucket, key, windowSeconds, Number.MAX_SAFE_INTEGER);
  }

  private async hit(
    bucket: string,
    key: string,
    windowSeconds: number,
    limit: number,
  ): Promise<{ hits: number; retryAfterSeconds: number }> {
    const hashed = createHash('sha256').update(`${bucket}\0${key}`).digest('base64url');
    const record = await this.storage.increment(
      `attempt:${bucket}:${hashed}`,
      windowSeconds * 1000,
      limit,
      0,
      bucket,
    );
    // The whole window, not the time left in it: that would date the window's first attempt,
    // which may be someone else's on a shared address.
    return { hits: record.totalHits, retryAfterSeconds: Math.max(1, windowSeconds) };
  }
}
