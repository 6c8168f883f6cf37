import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitedException } from '../../common/errors';
import { AttemptLimiter } from './attempt-limiter';

describe('AttemptLimiter', () => {
  /** A storage whose window began `elapsed` seconds ago (by someone else, perhaps) and is spent. */
  const spent = (elapsed: number): ThrottlerStorage => ({
    increment: (_key, ttl, limit) =>
      Promise.resolve({
        totalHits: limit + 1,
        timeToExpire: ttl / 1000 - elapsed,
        isBlocked: false,
        timeToBlockExpire: 0,
      }),
  });

  it('asks to retry after the whole window, whenever the window began', async () => {
    for (const elapsed of [0, 1, 899]) {
      const error = await new AttemptLimiter(spent(elapsed))
        .consume('sign-in-ip', '10.0.0.1', 3, 900)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedException);
      expect((error as RateLimitedException).details).toEqual({
        retryAfterSeconds: 900,
        budget: 'sign-in-ip',
      });
    }
  });

  it('lets attempts within the budget through', async () => {
    const storage: ThrottlerStorage = {
      increment: () =>
        Promise.resolve({ totalHits: 3, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 }),
    };
    await expect(
      new AttemptLimiter(storage).consume('sign-in-ip', '10.0.0.1', 3, 900),
    ).resolves.toBeUndefined();
  });
});
