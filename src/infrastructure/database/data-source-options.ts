import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { StoreFaultLogger } from './store-faults';
import type { StoreName } from './stores';

export type EntityList = MixedList<string | (new () => unknown) | EntitySchema>;

/** The entities of each store (src/store-entities.ts says which table lives where). */
export type StoreEntities = Readonly<Record<StoreName, EntityList>>;

interface BetterSqliteHandle {
  pragma(source: string): unknown;
}

/**
 * TypeORM options for one store.
 * - SQLite (default): `<DATA_DIR>/<store>.sqlite`, WAL journal, 5 s busy timeout; writes are
 *   serialised by TransactionRunner because TypeORM shares one connection per SQLite file.
 * - PostgreSQL (`DATABASE_URL`): the two stores are two schemas (DATABASE_IDENTITY_SCHEMA,
 *   DATABASE_CONTENT_SCHEMA) of one database, or the identity store in its own database
 *   when IDENTITY_DATABASE_URL is set.
 * `synchronize` is always off: the schema comes from migrations only.
 */
export function dataSourceOptions(
  config: AppConfig,
  store: StoreName,
  entities: StoreEntities,
): DataSourceOptions {
  const common = {
    name: store,
    entities: entities[store],
    migrations: MIGRATIONS[store],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
    // Remembers corruption met by any query, for /health/ready.
    logger: new StoreFaultLogger(),
  };
  if (config.DATABASE_URL !== undefined) {
    const url =
      store === 'identity'
        ? (config.IDENTITY_DATABASE_URL ?? config.DATABASE_URL)
        : config.DATABASE_URL;
    return {
      ...common,
      type: 'postgres',
      url,
      schema:
        store === 'identity' ? config.DATABASE_IDENTITY_SCHEMA : config.DATABASE_CONTENT_SCHEMA,
      poolSize: config.DATABASE_POOL_SIZE,
      extra: {
        // Named in pg_stat_activity, per store.
        application_name: `workplace-forum:${store}`,
        connectionTimeoutMillis: 5000,
        // A transaction left open (a bug, a hung process) would hold its row locks, and with
        // several instances block the others' writes; PostgreSQL ends it after a minute.
        idle_in_transaction_session_timeout: 60_000,
      },
    };
  }
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: join(dir, `${store}.sqlite`),
    enableWAL: true,
    timeout: 5000,
    // Prepared statements kept per file (TypeORM's default is 100, dropped oldest first): the
    // server's distinct statements (IN lists of every length among them) outnumber 100, and
    // preparing one again costs more than running it.
    statementCacheSize: 2000,
    prepareDatabase: (db: BetterSqliteHandle) => {
      db.pragma(`synchronous = ${config.SQLITE_SYNCHRONOUS}`);
      // Deleted rows and the free space updates leave are overwritten with zeros, so an
      // erased account (or post text) leaves no residue in the file (docs/anonymity.md).
      db.pragma('secure_delete = ON');
    },
  };
}
