import { createApp } from '../app.setup';
import { AppConfig } from '../infrastructure/config/app-config';
import { NO_RATE_LIMITS } from '../infrastructure/rate-limit/no-rate-limits';
import { type SeedCounts, seedDemoWorld } from './demo-seed';

export class DemoRefusedError extends Error {
  override readonly name = 'DemoRefusedError';
}

/**
 * Seeds the demo world into the stores `env` configures, through a private instance of the
 * server on a random loopback port (rate limits lifted: the whole world comes from one
 * address in a few seconds), closed again before returning. Refused in production.
 */
export async function seedDemo(env: NodeJS.ProcessEnv = process.env): Promise<SeedCounts> {
  if (env.NODE_ENV === 'production')
    throw new DemoRefusedError(
      'The demo world is refused when NODE_ENV=production: its accounts share a published password.',
    );
  const config = AppConfig.fromEnv({
    ...env,
    ...NO_RATE_LIMITS,
    // The demo's members are verified in one go: count them at once, or no board would open.
    MEMBERSHIP_COUNTS_AFTER_DAYS: '0',
    DEMO: 'false',
    LOG_LEVEL: 'warn',
  });
  const app = await createApp(config, [], { nestLogs: false });
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    return await seedDemoWorld(app, `http://127.0.0.1:${port}`);
  } finally {
    await app.close();
  }
}
