import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { LRUCache } from 'lru-cache';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { KeyRing } from '../crypto/key-ring';
import { REDIS, type RedisConnections } from '../redis/redis.module';

/**
 * Counters for @nestjs/throttler kept by rate-limiter-flexible: a fixed window per key, one
 * counter and one expiry each, so a hit costs the same however many came before it. (The
 * throttler's own in-memory store keeps every hit's expiry and filters the list on each hit:
 * with a limit of 600 a busy client's hits cost 600 comparisons each, and under the feed
 * benchmark it was ~10 % of the server's CPU; docs/performance.md.)
 *
 * One limiter per distinct (throttler, window, limit, block) — the named throttlers and any
 * @Throttle override.
 *
 * With REDIS_URL the counters live in Redis (rate-limiter-flexible's RateLimiterRedis: one
 * Lua script per hit, atomic), so a limit counts across every instance. While Redis is
 * unreachable each instance counts in its own memory instead (the "insurance" limiter):
 * limits hold per instance rather than failing requests or letting everything through.
 *
 * Every key is replaced by `HMAC(rate-limit key, key)` before it reaches the counters, so no
 * client address, account token or blind index sits in them in clear (nor in Redis, once
 * instances share counters), and an unkeyed hash of an address cannot be reversed by trying
 * all 2^32 IPv4 addresses.
 *
 * The keyed hashes of the keys seen last are kept (`hashed`): every request costs one or two
 * of them, the same for a client's every request. Kept in this process's memory only, which
 * holds the rate-limit key itself while it runs (and with it every such hash of any address),
 * so keeping them there reveals nothing more.
 */
@Injectable()
export class ThrottlerCounterStorage implements ThrottlerStorage {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly key: Buffer;
  private readonly hashed = new LRUCache<string, string>({ max: HASHED_KEYS });

  constructor(
    keys: KeyRing,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {
    this.key = keys.key('rate-limit');
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    const limiter = this.limiter(throttlerName, ttl, limit, blockDuration);
    let result: RateLimiterRes;
    let isBlocked = false;
    try {
      result = await limiter.consume(this.hashOf(key));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      result = error;
      isBlocked = true;
    }
    const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    return {
      totalHits: result.consumedPoints,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }

  /** `HMAC(rate-limit key, key)`, from the last ones computed when it is among them. */
  private hashOf(key: string): string {
    let hash = this.hashed.get(key);
    if (hash === undefined) {
      hash = createHmac('sha256', this.key).update(key).digest('base64url');
      this.hashed.set(key, hash);
    }
    return hash;
  }

  private limiter(
    name: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): RateLimiterAbstract {
    const id = `${name}:${ttl}:${limit}:${blockDuration}`;
    let limiter = this.limiters.get(id);
    if (limiter === undefined) {
      const options = {
        keyPrefix: id,
        points: limit,
        duration: Math.max(1, Math.ceil(ttl / 1000)),
        // Blocking longer than the window is what the throttler's blockDuration asks for.
        blockDuration: blockDuration > ttl ? Math.ceil(blockDuration / 1000) : 0,
      };
      limiter =
        this.redis === null
          ? new RateLimiterMemory(options)
          : new RateLimiterRedis({
              ...options,
              keyPrefix: `${this.redis.prefix}rl:${id}`,
              storeClient: this.redis.commands,
              rejectIfRedisNotReady: true,
              insuranceLimiter: new RateLimiterMemory(options),
            });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** Keyed hashes kept (about 150 bytes each): the keys of the clients seen last. */
const HASHED_KEYS = 10_000;
