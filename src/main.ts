import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.setup';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { ShutdownState } from './infrastructure/health/shutdown-state';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nThe server did not start. See README.md (Configuration).\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const app = await createApp(config);
  const logger = app.get(Logger);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'Shutting down: finishing in-flight requests', signal }, 'Main');
    setTimeout(() => {
      logger.error({ msg: 'In-flight requests did not finish in time; exiting' }, 'Main');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    const close = (): void => {
      app
        .close()
        .then(() => {
          logger.log({ msg: 'Shutdown complete' }, 'Main');
          process.exit(0);
        })
        .catch((error: unknown) => {
          logger.error({ msg: 'Shutdown failed', err: error }, 'Main');
          process.exit(1);
        });
    };
    // Closing the HTTP server resets connections it has not accepted yet and drops accepted
    // ones whose request it has not read yet: on a busy server, requests sent before the
    // signal. So first let the event loop take them in (it accepts one connection per turn
    // and reads it on the next): turn until a turn brings no new connection or request.
    // Meanwhile /health/ready answers 503 and responses close their connections. A stream of
    // new arrivals does not hold the shutdown up for more than a second.
    app.get(ShutdownState).beforeApplicationShutdown();
    const server = app.getHttpServer();
    let arrivals = 0;
    const arrived = (): void => {
      arrivals += 1;
    };
    server.on('connection', arrived).on('request', arrived);
    let seen = -1;
    const settleUntil = Date.now() + 1000;
    const settle = (): void => {
      if (arrivals !== seen && Date.now() < settleUntil) {
        seen = arrivals;
        setImmediate(settle);
        return;
      }
      server.off('connection', arrived).off('request', arrived);
      close();
    };
    setImmediate(settle);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await app.listen(config.PORT, config.HOST);
  const store = config.usesPostgres ? 'PostgreSQL' : `SQLite in ${config.DATA_DIR}`;
  logger.log({ msg: `GraphQL ready at ${await app.getUrl()}/graphql (${store})` }, 'Main');
}

void bootstrap();
