import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens a store and brings its schema up to date: creates the PostgreSQL schema if missing
 * and applies pending migrations. On PostgreSQL an advisory lock makes concurrent start-ups
 * of several instances apply each migration exactly once.
 */
export async function openStore(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export async function migrate(dataSource: DataSource): Promise<string[]> {
  const options = dataSource.options;
  if (options.type !== 'postgres') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const schema = options.schema ?? 'public';
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    await runner.release();
  }
}
