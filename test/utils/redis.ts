import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use (the local one by default; CI checks it answers). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A REDIS_PREFIX of its own for one test file, so parallel and repeated runs (and a server
 * running beside them) never see each other's keys or channels; `dispose()` deletes its keys.
 */
export function testRedisPrefix(): { prefix: string; dispose(): Promise<void> } {
  const prefix = `test-${randomBytes(5).toString('hex')}:`;
  return {
    prefix,
    async dispose() {
      const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
      await redis.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  };
}
