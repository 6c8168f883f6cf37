import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppConfig } from '../../src/infrastructure/config/app-config';

/**
 * A throwaway pair of stores for one test file: two SQLite files in a fresh temporary folder
 * by default, or — when DATABASE_URL points at PostgreSQL — two freshly named schemas that
 * `dispose()` drops, so parallel and repeated runs never collide.
 */
export interface TestStores {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export const onPostgres = (): boolean => (process.env.DATABASE_URL ?? '') !== '';

/** The METRICS_TOKEN of every test server: `/metrics` is closed without one. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-5f0c9a1e';

export function createTestStores(): TestStores {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    APP_SECRET: randomBytes(32).toString('base64'),
    // Tests run client and server in one process: the event loop always looks busy, and
    // pacing password hashes (a load-protection measured by bench:identity) would only slow them.
    PASSWORD_HASH_BUSY_INTERVAL_MS: '0',
    // For the same reason the hashing process runs at normal priority: at the lowest, whatever
    // else runs on the machine would starve it and every sign-up and sign-in in the suite.
    PASSWORD_HASH_NICENESS: '0',
    // Moderation's identity-side effects are delivered as soon as they are published, one
    // decision at a time; the breach suite sets real windows and batch sizes.
    IDENTITY_MIX_WINDOW_SECONDS: '0',
    IDENTITY_MIX_MIN_BATCH: '1',
    // Recent identity rows are re-stamped when the breach suite asks, not in the background.
    IDENTITY_RESTAMP_SECONDS: '0',
    // Tests wait for subscriptions by reading `pubsub_subscriptions` (test/utils/wait.ts).
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    // Load shedding off: a test's own client work runs late the event loop it shares with an
    // in-process app. test/e2e/reliability/load-shedding.e2e-spec.ts turns it on.
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
    // Memberships count towards k-anonymity at once; the tests of the waiting set their own.
    MEMBERSHIP_COUNTS_AFTER_DAYS: '0',
  };
  const url = process.env.DATABASE_URL;
  let schemas: string[] = [];
  if (url !== undefined && url !== '') {
    const prefix = `t_${randomBytes(5).toString('hex')}`;
    schemas = [`${prefix}_identity`, `${prefix}_content`];
    Object.assign(env, {
      DATABASE_URL: url,
      DATABASE_IDENTITY_SCHEMA: schemas[0],
      DATABASE_CONTENT_SCHEMA: schemas[1],
      DATABASE_POOL_SIZE: '4',
    });
  }
  return {
    env,
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      if (schemas.length === 0 || url === undefined) return;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas)
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Fresh stores, and their config, for each test of the calling `describe`, disposed after it.
 * Read `stores` and `config` inside tests: they change from one test to the next.
 */
export function storesPerTest(): { readonly stores: TestStores; readonly config: AppConfig } {
  const current = {} as { stores: TestStores; config: AppConfig };
  beforeEach(() => {
    current.stores = createTestStores();
    current.config = AppConfig.fromEnv(current.stores.env);
  });
  afterEach(async () => current.stores.dispose());
  return current;
}
