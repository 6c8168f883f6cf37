import { type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { RateLimitedException } from '../../common/errors';
import { ACCOUNT_RATE_LIMITS, isAccountTracker } from './account-rate-limits';

const BUDGET = Symbol('rate-limit budget');
type RequestWithBudget = Request & { [BUDGET]?: string };

/**
 * @nestjs/throttler for both HTTP routes and GraphQL resolvers (each root field counts as one
 * hit). Tracks by client address (honouring TRUST_PROXY); the address lives only in the
 * limiter's counters and is never logged.
 *
 * As the global guard it runs before authentication, so it applies the budgets per client
 * address (`default`, `auth`) and leaves the per-account ones to AccountThrottlerGuard.
 *
 * Answers describe only the caller's own budget. A client address is shared by everyone
 * behind it (an office's NAT), so a budget counted per address sends no `X-RateLimit-*` or
 * `Retry-After` header (its remaining count would move with colleagues' requests), and when
 * it is spent `retryAfterSeconds` is the whole window rather than the time left in it (which
 * tells when someone else's first request of the window came). Budgets counted per account
 * send their headers (`X-RateLimit-Remaining-post`, …): they are the caller's alone.
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

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { req } = this.getRequestResponse(request.context);
    const tracker = await request.getTracker(req, request.context);
    // The throttlers of one request are counted one after the other: the refusal names this one.
    (req as RequestWithBudget)[BUDGET] = request.throttler.name ?? 'default';
    return super.handleRequest({
      ...request,
      getTracker: () => tracker,
      throttler: { ...request.throttler, setHeaders: isAccountTracker(tracker) },
    });
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = isAccountTracker(detail.tracker)
      ? detail.timeToBlockExpire
      : Math.max(detail.ttl, detail.timeToBlockExpire * 1000) / 1000;
    const { req, res } = this.getRequestResponse(context);
    const budget = (req as RequestWithBudget)[BUDGET] ?? 'default';
    if (isAccountTracker(detail.tracker) && !res.headersSent) {
      // The caller's own budget, spent: the refusal shows it like every answer that spends it.
      res.setHeader(`X-RateLimit-Limit-${budget}`, detail.limit);
      res.setHeader(`X-RateLimit-Remaining-${budget}`, 0);
      res.setHeader(`X-RateLimit-Reset-${budget}`, detail.timeToBlockExpire);
    }
    throw new RateLimitedException(Math.max(1, Math.ceil(seconds)), budget);
  }
}
