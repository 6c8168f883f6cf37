import { performance } from 'node:perf_hooks';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { bindWholeNumbers } from './sqlite-bound-numbers';

/** One applied migration, for the log: its name and how long it took. */
export interface AppliedMigration {
  readonly name: string;
  readonly ms: number;
}

/**
 * Opens a store and brings its schema up to date: creates the PostgreSQL schema if missing
 * and applies pending migrations. On PostgreSQL an advisory lock makes concurrent start-ups
 * of several instances apply each migration exactly once.
 */
export async function openStore(
  options: DataSourceOptions,
  onApplied?: (migration: AppliedMigration) => void,
): Promise<DataSource> {
  const dataSource = new DataSource(options);
  bindWholeNumbers(dataSource);
  await dataSource.initialize();
  try {
    await migrate(dataSource, onApplied);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Applies the pending migrations, each in its own transaction; their names, in order. */
export async function migrate(
  dataSource: DataSource,
  onApplied?: (migration: AppliedMigration) => void,
): Promise<string[]> {
  if (onApplied !== undefined) timeEach(dataSource, onApplied);
  const options = dataSource.options;
  if (options.type !== 'postgres') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const schema = options.schema ?? 'public';
  return withAdvisoryLock(dataSource, `migrations:${schema}`, async () => {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  });
}

/**
 * Runs `run` while holding PostgreSQL's session advisory lock on `key`, taken on a connection
 * of its own, so that instances starting at the same moment take turns.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: string,
  run: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    return await run();
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    await runner.release();
  }
}

/** Wraps each migration's `up` to report its name and duration once it has run. */
function timeEach(dataSource: DataSource, onApplied: (migration: AppliedMigration) => void): void {
  for (const migration of dataSource.migrations) {
    const up = migration.up.bind(migration);
    const name = migration.name ?? migration.constructor.name;
    migration.up = async (runner) => {
      const started = performance.now();
      await up(runner);
      onApplied({ name, ms: Math.round(performance.now() - started) });
    };
  }
}
