import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis-health.indicator';
import { ShutdownState } from './shutdown-state';
import { StoreHealthIndicator } from './store-health.indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [StoreHealthIndicator, RedisHealthIndicator, ShutdownState],
})
export class HealthModule {}
