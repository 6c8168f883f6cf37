import type { Logger } from 'pino';
import { createApp } from './app.setup';
import type { AppConfig } from './infrastructure/config/app-config';
import { exitRefused } from './infrastructure/database/store-pairing';
import { StoreRefusal } from './infrastructure/database/store-refusal';
import { ShutdownState } from './infrastructure/health/shutdown-state';
import { HttpDrain } from './infrastructure/http/http-drain';
import { NestLogger } from './infrastructure/logging/nest-logger';
import { RedisUnavailableError } from './infrastructure/redis/redis.module';
import { startBanner } from './start-banner';

/**
 * Creates the app on stores already checked and paired (main.ts), serves it, and stops it
 * cleanly on SIGTERM or SIGINT. Loaded by main.ts only once the stores are known good: the
 * app's modules take seconds to load, and a refused store is reported before that.
 *
 * A store lost between the pairing and the app's own connections (PostgreSQL stopped, a file
 * removed) is refused the same way: one JSON line on `log` and the refusal's exit code. A
 * Redis that `REDIS_URL` names and that cannot be reached is one JSON line and exit 69. Any
 * other failure to start is one JSON line too ("start-up failed"), exit 70 (EX_SOFTWARE).
 */
export async function serve(config: AppConfig, log: Logger): Promise<void> {
  const app = await createApp(config).catch((error: unknown) => {
    if (error instanceof StoreRefusal) exitRefused(error, log);
    if (error instanceof RedisUnavailableError) {
      // A service that cannot be reached, like PostgreSQL: EX_UNAVAILABLE, no stack.
      log.fatal({ redis: error.address, cause: error.causeMessage }, error.message);
      process.exit(69);
    }
    log.fatal({ err: error }, 'start-up failed');
    process.exit(70);
  });
  const logger = app.get(NestLogger);
  const drain = new HttpDrain(app.getHttpServer());

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'Shutting down: finishing in-flight requests', signal }, 'Main');
    setTimeout(() => {
      logger.error({ msg: 'In-flight requests did not finish in time; exiting' }, 'Main');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    // /health/ready answers 503 and responses close their connections from now on.
    app.get(ShutdownState).beforeApplicationShutdown();
    drain
      .drain()
      .then(() => app.close())
      .then(() => {
        logger.log({ msg: 'Shutdown complete' }, 'Main');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ msg: 'Shutdown failed', err: error }, 'Main');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await app.listen(config.PORT, config.HOST);
  const store = config.usesPostgres ? 'PostgreSQL' : `SQLite in ${config.DATA_DIR}`;
  const url = await app.getUrl();
  logger.log(
    { msg: `GraphQL ready at ${url}/graphql (${store})`, console: `${url}/console/` },
    'Main',
  );
  // The banner is for a person at a terminal (and always in demo mode); log collectors get
  // the JSON line above, which carries both addresses.
  if (config.DEMO || process.stderr.isTTY) {
    const port = (app.getHttpServer().address() as { port: number }).port;
    process.stderr.write(startBanner(config, port));
  }
}
