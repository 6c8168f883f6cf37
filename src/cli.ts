import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { dataSourceOptions } from './infrastructure/database/data-source-options';
import { migrate } from './infrastructure/database/store-bootstrap';
import { STORES } from './infrastructure/database/stores';
import { DataSource } from 'typeorm';

/**
 * Operator commands: `npm run cli -- <command> [options]`. Uses the same environment as the
 * server (README.md, Configuration).
 */
const COMMANDS: Record<
  string,
  { help: string; run: (config: AppConfig, args: string[]) => Promise<void> }
> = {
  migrate: {
    help: 'apply pending migrations to both stores',
    run: async (config) => {
      for (const store of STORES) {
        const dataSource = new DataSource(dataSourceOptions(config, store));
        await dataSource.initialize();
        try {
          const applied = await migrate(dataSource);
          process.stdout.write(
            `${store}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`,
          );
        } finally {
          await dataSource.destroy();
        }
      }
    },
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(24)} ${c.help}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [name, ...rest] = positionals;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      name === undefined || name === 'help' ? usage() : `Unknown command "${name}".\n\n${usage()}`,
    );
    return name === 'help' ? 0 : 64;
  }
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    throw error;
  }
  await command.run(config, rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
