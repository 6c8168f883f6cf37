import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { REDIS, type RedisConnections } from '../redis/redis.module';

/**
 * Redis is ready when both connections are and it answers PING. An instance that lost Redis
 * still serves (limits fall back to its own memory) but misses other instances' events, so
 * it reports not ready and the load balancer prefers the others.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  check() {
    return this.indicators.check('redis').attempt(async () => {
      const redis = this.redis;
      if (redis === null) return {};
      if (redis.subscriber.status !== 'ready') throw new Error('subscriber connection lost');
      await redis.commands.ping();
      return {};
    });
  }
}
