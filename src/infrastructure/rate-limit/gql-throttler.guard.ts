import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import {
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerGenerateKeyFunction,
  type ThrottlerGetTrackerFunction,
  type ThrottlerLimitDetail,
  type ThrottlerOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import type { Request, Response } from 'express';
import { RateLimitedException } from '../../common/errors';
import { resolverContextOf } from '../graphql/resolver-context';
import { ACCOUNT_RATE_LIMITS, isAccountTracker } from './account-rate-limits';

const BUDGET = Symbol('rate-limit budget');
/** The tracker of requests whose client hung up before they were counted (see getTracker). */
const GONE_CLIENT = 'gone';
type RequestWithBudget = Request & { [BUDGET]?: string };

type Resolvable<T> = T | ((context: ExecutionContext) => T | Promise<T>);

/** What the metadata of one operation (handler and class) says about one named throttler. */
interface ThrottlerPlan {
  readonly throttler: ThrottlerOptions;
  readonly skip: boolean;
  readonly limit: Resolvable<number>;
  readonly ttl: Resolvable<number>;
  readonly blockDuration: Resolvable<number> | undefined;
  readonly getTracker: ThrottlerGetTrackerFunction;
  readonly generateKey: ThrottlerGenerateKeyFunction;
}

/** A setting's value: a plain value as it is (no promise), a function's answer as it comes. */
function resolved<T>(context: ExecutionContext, value: Resolvable<T>): T | Promise<T> {
  return typeof value === 'function'
    ? (value as (context: ExecutionContext) => T | Promise<T>)(context)
    : value;
}

function numberOf(value: unknown, option: string, throttler: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new Error(
      `Invalid "${option}" for the "${throttler}" throttler: expected a number, got ${JSON.stringify(value)}.`,
    );
  return number;
}

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
      const ctx = resolverContextOf<{ req: Request; res: Response }>(context);
      return { req: ctx.req, res: ctx.res };
    }
    return super.getRequestResponse(context) as { req: Request; res: Response };
  }

  /** Per handler, then per class: the throttlers' metadata, read once (it never changes). */
  private readonly plans = new WeakMap<object, WeakMap<object, readonly ThrottlerPlan[]>>();

  /**
   * ThrottlerGuard.canActivate, with the same steps and order, but the six metadata lookups per
   * throttler made once per operation instead of per root field, and without the awaits of
   * values that are not promises. Written here because the library reads the metadata on
   * every call and offers no hook to keep it; what is counted, and how, is the library's
   * (handleRequest below, the storage, the exception).
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    for (const plan of this.planOf(context)) {
      const skipIf = plan.throttler.skipIf ?? this.commonOptions.skipIf;
      if (plan.skip || skipIf?.(context) === true) continue;
      // Awaited only when a function answered with a promise: each await of a plain number
      // cost a promise per throttler per root field.
      const name = plan.throttler.name ?? '';
      let ttlValue = resolved(context, plan.ttl);
      if (ttlValue instanceof Promise) ttlValue = await ttlValue;
      const ttl = numberOf(ttlValue, 'ttl', name);
      let limit = resolved(context, plan.limit);
      if (limit instanceof Promise) limit = await limit;
      let blockDuration =
        plan.blockDuration === undefined ? ttl : resolved(context, plan.blockDuration);
      if (blockDuration instanceof Promise) blockDuration = await blockDuration;
      await this.handleRequest({
        context,
        limit: numberOf(limit, 'limit', name),
        ttl,
        blockDuration: numberOf(blockDuration, 'blockDuration', name),
        throttler: plan.throttler,
        getTracker: plan.getTracker,
        generateKey: plan.generateKey,
      });
    }
    return true;
  }

  private planOf(context: ExecutionContext): readonly ThrottlerPlan[] {
    const handler = context.getHandler();
    const classRef = context.getClass();
    let byClass = this.plans.get(handler);
    if (byClass === undefined) {
      byClass = new WeakMap();
      this.plans.set(handler, byClass);
    }
    let plan = byClass.get(classRef);
    if (plan === undefined) {
      const targets = [handler, classRef];
      const meta = <T>(key: string, name: string | undefined) =>
        this.reflector.getAllAndOverride<T | undefined>(key + (name ?? ''), targets);
      plan = this.throttlers.map((throttler): ThrottlerPlan => {
        const blockDuration =
          meta<Resolvable<number>>(THROTTLER_BLOCK_DURATION, throttler.name) ??
          throttler.blockDuration;
        return {
          throttler,
          skip: meta<boolean>(THROTTLER_SKIP, throttler.name) === true,
          limit: meta<Resolvable<number>>(THROTTLER_LIMIT, throttler.name) ?? throttler.limit,
          ttl: meta<Resolvable<number>>(THROTTLER_TTL, throttler.name) ?? throttler.ttl,
          blockDuration,
          getTracker:
            meta<ThrottlerGetTrackerFunction>(THROTTLER_TRACKER, throttler.name) ??
            throttler.getTracker ??
            (this.commonOptions.getTracker as ThrottlerGetTrackerFunction),
          generateKey:
            meta<ThrottlerGenerateKeyFunction>(THROTTLER_KEY_GENERATOR, throttler.name) ??
            throttler.generateKey ??
            (this.commonOptions.generateKey as ThrottlerGenerateKeyFunction),
        };
      });
      byClass.set(classRef, plan);
    }
    return plan;
  }

  /**
   * The client's address (normalised as the library does). A request whose client has already
   * hung up has none: Node drops a socket's `remoteAddress` once it is destroyed, and under
   * load a request can wait in the queue past its client's timeout. The library's tracker was
   * then `undefined` and the request failed inside the guard (an internal error, logged with a
   * stack); it is counted under one shared key instead, and its answer goes nowhere.
   */
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = (req as Partial<Request>).ip;
    return Promise.resolve(ip === undefined ? GONE_CLIENT : normalizeIp(ip, this.ipv6SubnetPrefix));
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(request.context);
    const { context, limit, ttl, throttler, blockDuration } = request;
    const userAgent = req.headers['user-agent'] ?? '';
    const ignored = throttler.ignoreUserAgents ?? this.commonOptions.ignoreUserAgents ?? [];
    if (ignored.some((pattern) => pattern.test(userAgent))) return true;
    const tracker = await request.getTracker(req, context);
    const name = throttler.name ?? 'default';
    // The throttlers of one request are counted one after the other: the refusal names this one.
    (req as RequestWithBudget)[BUDGET] = name;
    const key = request.generateKey(context, tracker, name);
    const counted = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    // Only budgets counted per account are the caller's own to show (see above).
    const setHeaders = isAccountTracker(tracker);
    const suffix = name === 'default' ? '' : `-${name}`;
    if (counted.isBlocked) {
      if (setHeaders)
        this.setResponseHeader(res, `Retry-After${suffix}`, counted.timeToBlockExpire);
      await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...counted });
    }
    if (setHeaders) {
      this.setResponseHeader(res, `${this.headerPrefix}-Limit${suffix}`, limit);
      this.setResponseHeader(
        res,
        `${this.headerPrefix}-Remaining${suffix}`,
        Math.max(0, limit - counted.totalHits),
      );
      this.setResponseHeader(res, `${this.headerPrefix}-Reset${suffix}`, counted.timeToExpire);
    }
    return true;
  }

  /**
   * The library's key is `sha256(class-handler-name-tracker)`; the storage keys its counters
   * by an HMAC of the key anyway (ThrottlerCounterStorage), so the plain string does as well
   * and saves a hash per throttler per root field.
   */
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return `${context.getClass().name}-${context.getHandler().name}-${name}-${suffix}`;
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
