import type { Response } from 'express';
import { ErrorCode } from '../../common/errors';
import type { RequestHooks, RequestHooksFactory } from './combined.plugin';

/** Budget headers of @nestjs/throttler: `X-RateLimit-Limit-post`, `Retry-After-post`, … */
const BUDGET_HEADER = /^(x-ratelimit-(limit|remaining|reset)|retry-after)(-(.+))?$/i;

/**
 * A request refused for its rate limit answers as HTTP does: status 429 with `Retry-After`
 * (the largest `retryAfterSeconds` among the refusals), and only the refusing budget's own
 * `X-RateLimit-*` headers, so the headers and the error describe the same budget.
 *
 * Only when nothing was answered (`data` null, or every root field null): an answer that
 * carries data for some root fields keeps 200, with the refusals among its `errors`.
 *
 * It also takes the place of @nestjs/apollo's own plugin (`preserveHttpStatusForExecutionErrors`,
 * turned off): an executed operation (its answer has a `data` key) answers 200 whatever
 * `extensions.http.status` an error carried, except for the 429 above.
 * `Retry-After` of a per-address budget is its whole window (docs/anonymity.md): it dates
 * nobody's request.
 */
const RATE_LIMITED_RESPONSE: RequestHooks<{ res?: Response }> = {
  willSendResponse({ response, contextValue }) {
    if (response.body.kind !== 'single') return;
    const result = response.body.singleResult;
    if ('data' in result) response.http.status = 200;
    const { data, errors } = result;
    const refusals = (errors ?? []).filter(
      (error) => error.extensions?.code === ErrorCode.RATE_LIMITED,
    );
    if (refusals.length === 0) return;
    if (data != null && Object.values(data).some((value) => value !== null)) return;
    const seconds = Math.max(
      1,
      ...refusals.map((error) => Number(error.extensions?.retryAfterSeconds ?? 1) || 1),
    );
    const budgets = new Set(refusals.map((error) => error.extensions?.budget));
    response.http.status = 429;
    response.http.headers.set('retry-after', String(Math.ceil(seconds)));
    const res = contextValue.res;
    if (res !== undefined && !res.headersSent) {
      for (const name of res.getHeaderNames()) {
        const match = BUDGET_HEADER.exec(name);
        if (match === null) continue;
        const budget = match[4] ?? 'default';
        if (match[1].toLowerCase() === 'retry-after' || !budgets.has(budget))
          res.removeHeader(name);
      }
    }
  },
};

export const rateLimitedResponseHooks: RequestHooksFactory<{ res?: Response }> = () =>
  RATE_LIMITED_RESPONSE;
