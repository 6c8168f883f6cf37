import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NestLogger } from './infrastructure/logging/nest-logger';
import { createApp } from './app.setup';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { ShutdownState } from './infrastructure/health/shutdown-state';
import { startBanner } from './start-banner';

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

  // Demo mode seeds in a child process first: the seeder runs a private instance of the
  // server (lifted rate limits, diverted mail), and a process has one root logger.
  if (config.DEMO) await seedBeforeStart();

  const app = await createApp(config);
  const logger = app.get(NestLogger);

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
