import { AccountRateLimit } from './account-rate-limits';

/**
 * Every budget a RATE_LIMITED refusal can name in `extensions.budget`: the throttlers per
 * client address (`default`, `auth`), the budgets per account (AccountRateLimit), the
 * AttemptLimiter's buckets of the identity flows and the password hashing queue. The metrics
 * label refusals by these names only (`rate_limit_refusals_total{budget}`); a test checks that
 * every budget named in the code is listed here.
 */
export const RATE_LIMIT_BUDGETS: readonly string[] = [
  'default',
  'auth',
  ...Object.values(AccountRateLimit),
  'sign-in-ip',
  'sign-in-address',
  'password-check-account',
  'email-code-ip',
  'email-code-address',
  'password-hash-queue',
];
