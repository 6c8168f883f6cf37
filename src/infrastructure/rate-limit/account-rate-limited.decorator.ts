import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { AccountThrottlerGuard } from './account-throttler.guard';
import { ACCOUNT_RATE_LIMIT_METADATA, AccountRateLimit } from './account-rate-limits';

/**
 * Puts an operation under the named budget `limit`, counted per account after
 * authentication: a method-level guard runs after the global AuthGuard, so the account is
 * known (the global guards run in module order, the throttler's before authentication). The
 * global `default` budget per client address still applies first.
 */
export const AccountRateLimited = (limit: AccountRateLimit): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACCOUNT_RATE_LIMIT_METADATA, limit),
    UseGuards(AccountThrottlerGuard),
  );

/** createThread, createComment, editThread, editComment: POST_RATE_LIMIT_MAX per 10 minutes. */
export const PostRateLimited = (): MethodDecorator => AccountRateLimited(AccountRateLimit.POST);

/** vote, setVote, followThread, bookmarkThread: VOTE_RATE_LIMIT_MAX per minute. */
export const VoteRateLimited = (): MethodDecorator => AccountRateLimited(AccountRateLimit.VOTE);

/** search: SEARCH_RATE_LIMIT_MAX per minute. */
export const SearchRateLimited = (): MethodDecorator => AccountRateLimited(AccountRateLimit.SEARCH);

/** report, appeal: REPORT_RATE_LIMIT_MAX per hour. */
export const ReportRateLimited = (): MethodDecorator => AccountRateLimited(AccountRateLimit.REPORT);
