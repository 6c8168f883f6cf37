import { IntrinsicException } from '@nestjs/common';
import { ErrorCode } from './error-code';

/**
 * Base class of every feature exception. A feature declares its own subclass with its own
 * reason enum (e.g. `IdentityException` + `IdentityExceptionReason`); the GraphQL layer only
 * looks at `code` (stable, public), `message` (written for the client, never containing
 * personal data) and `details` (extra public extensions such as `notices`). It is an
 * `IntrinsicException`, so Nest does not log it as an error: these are expected answers (a
 * wrong password, FORBIDDEN, RATE_LIMITED), and a flood of refused requests must not become a
 * flood of error lines.
 */
export class AppException extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputException extends AppException {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(ErrorCode.BAD_USER_INPUT, message, details);
  }
}

export class UnauthenticatedException extends AppException {
  constructor(message = 'You must be signed in to do this.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ForbiddenException extends AppException {
  constructor(message = 'You are not allowed to do this.') {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class NotFoundException extends AppException {
  constructor(message = 'Not found.') {
    super(ErrorCode.NOT_FOUND, message);
  }
}

export class ConflictException extends AppException {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(ErrorCode.CONFLICT, message, details);
  }
}

export class RateLimitedException extends AppException {
  /**
   * @param retryAfterSeconds when to try again (also the `Retry-After` header of a refused
   *   HTTP answer); the message says the same, in words.
   * @param budget the budget that refused (`default`, `auth`, `post`, `sign-in-ip`, …), so a
   *   client knows which one to pace itself against.
   */
  constructor(retryAfterSeconds?: number, budget?: string) {
    super(ErrorCode.RATE_LIMITED, rateLimitedMessage(retryAfterSeconds), {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(budget === undefined ? {} : { budget }),
    });
  }
}

/** "Too many requests: try again in 15 minutes." — the same words for every budget. */
export function rateLimitedMessage(retryAfterSeconds?: number): string {
  if (retryAfterSeconds === undefined) return 'Too many requests: please slow down and try again.';
  return `Too many requests: try again in ${inWords(retryAfterSeconds)}.`;
}

function inWords(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 2 * 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}
