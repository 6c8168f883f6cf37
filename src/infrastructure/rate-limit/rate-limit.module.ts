import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { KeyRing } from '../crypto/key-ring';
import { AccountRateLimit, accountThrottler } from './account-rate-limits';
import { AttemptLimiter } from './attempt-limiter';
import { isAuthRateLimited } from './auth-rate-limited.decorator';
import { GqlThrottlerGuard } from './gql-throttler.guard';
import { ThrottlerCounterStorage } from './throttler-counter-storage';

/**
 * The general request budget per client address. Sensitive operations add tighter named
 * limits: sign-up, sign-in and codes per address (@AuthRateLimited()); posting, voting and
 * reporting per account (@PostRateLimited(), @VoteRateLimited(), @ReportRateLimited()).
 * Counters are fixed windows kept by rate-limiter-flexible (ThrottlerCounterStorage) in
 * memory on one instance; with REDIS_URL they move to Redis so instances share them
 * (docs/operations.md).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, ThrottlerCounterStorage, KeyRing],
      useFactory: (config: AppConfig, storage: ThrottlerCounterStorage, keys: KeyRing) => ({
        storage,
        throttlers: [
          {
            name: 'default',
            ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
            limit: config.RATE_LIMIT_MAX,
          },
          {
            // Counted only on operations marked @AuthRateLimited() (sign-up, sign-in, codes).
            name: 'auth',
            ttl: 60_000,
            limit: config.AUTH_RATE_LIMIT_MAX,
            skipIf: (context) => !isAuthRateLimited(context),
          },
          // Per account, counted after authentication by AccountThrottlerGuard.
          accountThrottler(AccountRateLimit.POST, 600_000, config.POST_RATE_LIMIT_MAX, keys),
          accountThrottler(AccountRateLimit.VOTE, 60_000, config.VOTE_RATE_LIMIT_MAX, keys),
          accountThrottler(AccountRateLimit.REPORT, 3_600_000, config.REPORT_RATE_LIMIT_MAX, keys),
          accountThrottler(AccountRateLimit.SEARCH, 60_000, config.SEARCH_RATE_LIMIT_MAX, keys),
        ],
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: GqlThrottlerGuard },
    AttemptLimiter,
    ThrottlerCounterStorage,
  ],
  exports: [AttemptLimiter, ThrottlerCounterStorage],
})
export class RateLimitModule {}
