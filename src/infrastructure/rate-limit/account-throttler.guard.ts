import { Injectable } from '@nestjs/common';
import { ACCOUNT_RATE_LIMITS } from './account-rate-limits';
import { GqlThrottlerGuard } from './gql-throttler.guard';

/**
 * The per-account budgets (`post`, `vote`, `report`), applied with @PostRateLimited() etc. as
 * a method-level guard so that it runs after authentication. Same options, storage and
 * RATE_LIMITED answer as the global guard, which leaves these budgets to this one.
 */
@Injectable()
export class AccountThrottlerGuard extends GqlThrottlerGuard {
  protected override evaluates(throttlerName: string): boolean {
    return ACCOUNT_RATE_LIMITS.has(throttlerName);
  }
}
