/**
 * Clean-up of what a benchmark on the shared services (PostgreSQL, Redis) creates: its schemas
 * and its Redis keys, removed at the end of the run, also on error or Ctrl-C.
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** The shared PostgreSQL a benchmark creates its schemas in (DATABASE_URL). */
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** The shared Redis (REDIS_URL). */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Deletes the run's keys (none until the server uses Redis; then counters and events). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Drops the run's schemas. The run's own connections (those named `applicationName`, if given)
 * are ended first: one stopped in the middle of a load would otherwise hold its locks until
 * its INSERT finished.
 */
export async function dropSchemas(
  databaseUrl: string,
  schemas: string[],
  applicationName?: string,
): Promise<void> {
  const db = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await db.connect();
  try {
    if (applicationName !== undefined)
      await db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
        [applicationName],
      );
    await db.query("SET lock_timeout = '10s'");
    for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await db.end();
  }
}

/** Resolves with `work`, or after `ms` with nothing; clean-up must never hang the exit. */
export function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        process.stderr.write(`bench: clean-up step failed: ${String(error)}\n`);
        resolve(undefined);
      },
    );
  });
}

/**
 * Ends the run cleanly when it must stop early: after `limitMs` (the watchdog, exit 2), on
 * Ctrl-C and the like (130), or on an uncaught exception (1). Each kills the run's processes
 * (`kill`), runs `cleanUp` and exits. Returns the watchdog, to clear once the run is over.
 */
export function guardRun(
  name: string,
  limitMs: number,
  kill: () => void,
  cleanUp: () => Promise<void>,
): NodeJS.Timeout {
  const abort = (code: number, why: string) => {
    process.stderr.write(`${name}: ${why}, cleaning up\n`);
    kill();
    void cleanUp().finally(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => abort(130, signal));
  }
  process.once('uncaughtException', (error) => abort(1, `uncaught ${error.stack ?? error}`));
  return setTimeout(() => abort(2, `stopped after ${Math.round(limitMs / 1000)} s`), limitMs);
}
