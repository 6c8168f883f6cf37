import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.setup';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';

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
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await app.listen(config.PORT, config.HOST);
  const store = config.usesPostgres ? 'PostgreSQL' : `SQLite in ${config.DATA_DIR}`;
  logger.log({ msg: `GraphQL ready at ${await app.getUrl()}/graphql (${store})` }, 'Main');
}

void bootstrap();
