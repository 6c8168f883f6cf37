/**
 * Every budget of the server lifted, for benchmarks, reliability tests and the demo seeder:
 * their load comes from one address and a few accounts, and the limiters' verdict is not what
 * they measure (each request's counter round trip still is).
 */
export const NO_RATE_LIMITS: Readonly<Record<string, string>> = {
  RATE_LIMIT_MAX: '1000000',
  AUTH_RATE_LIMIT_MAX: '100000',
  EMAIL_CODES_PER_IP_PER_HOUR: '100000',
  EMAIL_CODES_PER_ADDRESS_PER_HOUR: '1000',
  SIGN_INS_PER_ADDRESS: '100000',
  SIGN_INS_PER_IP: '100000',
  POST_RATE_LIMIT_MAX: '1000000',
  VOTE_RATE_LIMIT_MAX: '1000000',
  REPORT_RATE_LIMIT_MAX: '1000000',
  SEARCH_RATE_LIMIT_MAX: '1000000',
};
