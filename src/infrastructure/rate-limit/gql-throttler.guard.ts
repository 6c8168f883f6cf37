import { type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { RateLimitedException } from '../../common/errors';
import { ACCOUNT_RATE_LIMITS } from './account-rate-limits';

/**
 * @nestjs/throttler for both HTTP routes and GraphQL resolvers (each root field counts as one
 * hit). Tracks by client address (honouring TRUST_PROXY); the address lives only in the
 * limiter's counters and is never logged.
 *
 * As the global guard it runs before authentication, so it applies the budgets per client
 * address (`default`, `auth`) and leaves the per-account ones to AccountThrottlerGuard.
 */
@Injectable()
export class GqlThrottlerGuard extends ThrottlerGuard {
  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((throttler) => this.evaluates(throttler.name ?? ''));
  }

  /** Whether this guard counts the named throttler. */
  protected evaluates(throttlerName: string): boolean {
    return !ACCOUNT_RATE_LIMITS.has(throttlerName);
  }

  protected override getRequestResponse(context: ExecutionContext): {
    req: Request;
    res: Response;
  } {
    if (context.getType<GqlContextType>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<{ req: Request; res: Response }>();
      return { req: ctx.req, res: ctx.res };
    }
    return super.getRequestResponse(context) as { req: Request; res: Response };
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedException(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
