import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NestLogger } from './infrastructure/logging/nest-logger';
import { createApp } from './app.setup';
import { HttpDrain } from './infrastructure/http/http-drain';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { ShutdownState } from './infrastructure/health/shutdown-state';
import { startBanner } from './start-banner';
import { storeOptions } from './store-entities';
import { pairStoresOrExit } from './infrastructure/database/store-pairing';
import { createPino } from './infrastructure/logging/pino';

async function bootstrap(): Promise<void> {
  // `npm start -- --demo` is DEMO=true (validated with the rest of the configuration).
  if (process.argv.includes('--demo')) process.env.DEMO = 'true';
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

  // Both stores are checked and paired (and migrated) before anything else opens them: a
  // missing, mismatched, corrupt or unreachable store stops start-up here with one log line.
  const log = createPino(config);
  await pairStoresOrExit(
    config,
    (store) => storeOptions(config, store),
    log,
    (store, { name, ms }) => log.info({ store, migration: name, ms }, 'migration applied'),
  );

  // Demo mode seeds in a child process first: the seeder runs a private instance of the
  // server (lifted rate limits, diverted mail), and a process has one root logger.
  if (config.DEMO) await seedBeforeStart();

  const app = await createApp(config);
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

/** Runs `seed.js` with this environment; exits if it fails (its message is already out). */
function seedBeforeStart(): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, 'seed.js'), '--before-start'], {
    env: process.env,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else process.exit(code ?? 1);
    }),
  );
}

void bootstrap();
