import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { pairingOptions, pairStoresOrExit } from './infrastructure/database/store-pairing';
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
  await pairStoresOrExit(config, pairingOptions(config), log, (store, { name, ms }) =>
    log.info({ store, migration: name, ms }, 'migration applied'),
  );
  log.info('stores checked and paired');

  // Demo mode seeds in a child process first: the seeder runs a private instance of the
  // server (lifted rate limits, diverted mail), and a process has one root logger.
  if (config.DEMO) await seedBeforeStart();

  // Loaded now: a refusal above comes without waiting for the app's modules to load.
  const { serve } = await import('./serve.js');
  await serve(config, log);
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
