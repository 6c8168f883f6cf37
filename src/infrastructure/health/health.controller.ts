import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { RedisHealthIndicator } from './redis-health.indicator';
import { ShutdownState } from './shutdown-state';
import { StoreHealthIndicator } from './store-health.indicator';

@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly stores: StoreHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Both stores (and Redis, when configured) answer; 503 while one is down or while the server
   * drains for shutdown.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    if (this.shutdown.draining) {
      throw new ServiceUnavailableException({ status: 'shutting_down' });
    }
    return this.health.check([
      () => this.stores.check('identity').withTimeout(2000),
      () => this.stores.check('content').withTimeout(2000),
      ...(this.redis.configured ? [() => this.redis.check().withTimeout(2000)] : []),
    ]);
  }
}
