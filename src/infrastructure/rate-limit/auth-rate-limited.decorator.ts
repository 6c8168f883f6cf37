import { type ExecutionContext, SetMetadata } from '@nestjs/common';

const AUTH_RATE_LIMITED = 'rate-limit:auth';

/** Puts an operation under the tighter `auth` budget per client address (AUTH_RATE_LIMIT_MAX per minute). */
export const AuthRateLimited = (): MethodDecorator => SetMetadata(AUTH_RATE_LIMITED, true);

export function isAuthRateLimited(context: ExecutionContext): boolean {
  return Reflect.getMetadata(AUTH_RATE_LIMITED, context.getHandler()) === true;
}
