import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { quickCheck } from './sqlite-check';
import { migrate, withAdvisoryLock, type AppliedMigration } from './store-bootstrap';
import { StoreInfoEntity } from './store-info.entity';
import { StoreRefusal, type StoreRefusalKind } from './store-refusal';
import { STORES, type StoreName } from './stores';

/**
 * Options for pairing: the stores with only their `store_info` entity (migrations need no
 * entities), so the server can check its stores before loading the rest of the app.
 */
export const pairingOptions =
  (config: AppConfig) =>
  (store: StoreName): DataSourceOptions =>
    dataSourceOptions(config, store, { identity: [StoreInfoEntity], content: [StoreInfoEntity] });

/** The `store_info` key of the id both stores of one deployment carry (docs/anonymity.md). */
export const DEPLOYMENT_KEY = 'deployment';

/** What to do about each kind of refusal (docs/operations.md, "When things go wrong"). */
const HINTS: Record<StoreRefusalKind, string> = {
  missing:
    'Restore both stores from the same backup (docs/operations.md, "Backups"), or point DATA_DIR / DATABASE_*_SCHEMA at the stores of this deployment. Nothing was created or changed.',
  damaged:
    'Restore the store from its last backup (docs/operations.md, "Backups"); check that the server may read and write the file and its folder.',
  unreachable:
    'Check that PostgreSQL runs and accepts connections at DATABASE_URL (host, port, database, user, password); the server retried DATABASE_CONNECT_RETRIES times.',
};

interface StoreSite {
  readonly store: StoreName;
  readonly options: DataSourceOptions;
  /** The file, or host:port/database and schema (never a password). */
  readonly path: string;
  /** SQLite only: the file's state before anything opened it. */
  readonly file?: 'missing' | 'empty' | 'present';
  dataSource?: DataSource;
  /** Has migrations applied (a store in use), and its deployment id if it has one. */
  populated?: boolean;
  deployment?: string;
}

/**
 * Opens both stores before the server (or `cli migrate`) uses them and refuses, with a
 * StoreRefusal, what must not be served:
 * - a store missing (no file, an empty file, an empty schema) beside a populated one: opening
 *   it would create an empty store and serve an empty forum with the other's accounts;
 * - two stores carrying different deployment ids (or only one carrying one): stores of two
 *   deployments;
 * - on SQLite a failed `PRAGMA quick_check` (within STORE_CHECK_BUDGET_MS), a file that is not
 *   a database, cannot be read or written, or a data folder the server cannot write;
 * - a database that cannot be reached after DATABASE_CONNECT_RETRIES tries.
 * Then applies pending migrations and, on a first start (or the first after an upgrade, when
 * neither store has one yet), writes one new deployment id into both. Closes what it opened;
 * resolves to the migrations applied per store.
 */
export async function pairStores(
  config: AppConfig,
  optionsFor: (store: StoreName) => DataSourceOptions,
  log: Logger,
  onApplied?: (store: StoreName, migration: AppliedMigration) => void,
): Promise<Record<StoreName, string[]>> {
  const sites = STORES.map((store) => locate(store, optionsFor));
  try {
    await checkFiles(sites, config.STORE_CHECK_BUDGET_MS, log);
    for (const site of sites) {
      if (site.file === undefined || site.file === 'present') await open(site, config, log);
    }
    return await withPairingLock(sites, async () => {
      for (const site of sites) if (site.dataSource !== undefined) await inspect(site);
      const [identity, content] = sites as [StoreSite, StoreSite];
      refuseUnpaired(identity, content);
      refuseUnpaired(content, identity);
      if (identity.populated === true && content.populated === true) {
        refuseMismatch(identity, content);
      }
      const applied = {} as Record<StoreName, string[]>;
      for (const site of sites) {
        if (site.dataSource === undefined) await open(site, config, log);
        applied[site.store] = await guard(site, 'damaged', () =>
          migrate(
            ready(site),
            onApplied === undefined ? undefined : (migration) => onApplied(site.store, migration),
          ),
        );
      }
      if (identity.deployment === undefined) await writeDeployment(identity, content);
      for (const site of sites) if (site.file !== undefined) checkedFiles.add(site.path);
      return applied;
    });
  } finally {
    await Promise.all(
      sites.map((site) =>
        site.dataSource?.isInitialized === true ? site.dataSource.destroy() : Promise.resolve(),
      ),
    );
  }
}

function locate(store: StoreName, optionsFor: (store: StoreName) => DataSourceOptions): StoreSite {
  let options: DataSourceOptions;
  try {
    // (Creates DATA_DIR when it does not exist.)
    options = optionsFor(store);
  } catch (error) {
    const path = (error as { path?: unknown }).path;
    throw new StoreRefusal(
      'damaged',
      store,
      typeof path === 'string' ? path : '(data folder)',
      causeOf(error),
      HINTS.damaged,
    );
  }
  const path = storeLocation(options);
  if (options.type === 'postgres') return { store, options, path };
  return { store, options, path, file: fileState(store, path) };
}

/** Where a store lives, for log lines and refusals: its file, or host:port/database and schema (never a password). */
export function storeLocation(options: DataSourceOptions): string {
  if (options.type !== 'postgres') return String(options.database);
  const url = new URL(options.url ?? '');
  return `${url.hostname}:${url.port || '5432'}${url.pathname} (schema ${options.schema ?? 'public'})`;
}

/** Looks at a SQLite file without opening it (opening would create it). */
function fileState(store: StoreName, file: string): 'missing' | 'empty' | 'present' {
  const refuse = (cause: string): StoreRefusal =>
    new StoreRefusal('damaged', store, file, cause, HINTS.damaged);
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    throw refuse('the data folder is not writable');
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw refuse('not a regular file');
    size = stat.size;
  } catch (error) {
    if (error instanceof StoreRefusal) throw error;
    if ((error as { code?: unknown }).code === 'ENOENT') return 'missing';
    throw refuse(causeOf(error));
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw refuse('the file cannot be read and written');
  }
  return size === 0 ? 'empty' : 'present';
}

/** quick_check of the SQLite files that exist, both at once, each within the budget. */
async function checkFiles(sites: StoreSite[], budgetMs: number, log: Logger): Promise<void> {
  if (budgetMs === 0) return;
  const checked = sites.filter((site) => site.file === 'present');
  const results = await Promise.all(checked.map((site) => quickCheck(site.path, budgetMs)));
  checked.forEach((site, index) => {
    const result = results[index];
    if (result?.outcome === 'failed') {
      throw new StoreRefusal('damaged', site.store, site.path, result.cause, HINTS.damaged);
    }
    if (result?.outcome === 'over-budget') {
      log.warn(
        { store: site.store, path: site.path, budgetMs },
        'store check skipped: quick_check did not finish within STORE_CHECK_BUDGET_MS',
      );
    }
  });
}

/** Opens a store; PostgreSQL is tried DATABASE_CONNECT_RETRIES more times, one log line each. */
async function open(site: StoreSite, config: AppConfig, log: Logger): Promise<void> {
  site.dataSource = await connectOrRefuse(site.store, site.options, config, log, async () => {
    const dataSource = new DataSource(site.options);
    await dataSource.initialize();
    return dataSource;
  });
}

/**
 * Runs `connect` (opening a store) and turns its failure into a StoreRefusal: on PostgreSQL
 * after DATABASE_CONNECT_RETRIES more tries, DATABASE_CONNECT_RETRY_MS apart, each logged as one
 * JSON line ("unreachable", 69); on SQLite at once ("damaged", 74). Used by the pairing and
 * by the app's own connections (database.module.ts), which open the stores once more after it.
 */
export async function connectOrRefuse<T>(
  store: StoreName,
  options: DataSourceOptions,
  config: AppConfig,
  log: Logger,
  connect: () => Promise<T>,
): Promise<T> {
  const path = storeLocation(options);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await connect();
    } catch (error) {
      if (error instanceof StoreRefusal) throw error;
      if (options.type !== 'postgres') {
        throw new StoreRefusal('damaged', store, path, causeOf(error), HINTS.damaged);
      }
      if (attempt > config.DATABASE_CONNECT_RETRIES) {
        throw new StoreRefusal('unreachable', store, path, causeOf(error), HINTS.unreachable);
      }
      log.warn(
        { store, path, attempt, cause: causeOf(error) },
        'store connection failed; retrying',
      );
      await sleep(config.DATABASE_CONNECT_RETRY_MS);
    }
  }
}

/** The SQLite files this process paired (and left populated). */
const checkedFiles = new Set<string>();

/**
 * A SQLite store that this process's pairing checked must still be there when the app opens
 * it: opening a file that has gone would create an empty store beside a populated one.
 */
export function refuseVanishedFile(store: StoreName, options: DataSourceOptions): void {
  if (options.type === 'postgres' || !checkedFiles.has(storeLocation(options))) return;
  const state = fileState(store, storeLocation(options));
  if (state === 'present') return;
  throw new StoreRefusal(
    'missing',
    store,
    storeLocation(options),
    `the file ${state === 'missing' ? 'no longer exists' : 'is now empty (0 bytes)'}; it was there when the server checked its stores moments before`,
    HINTS.missing,
  );
}

/**
 * On PostgreSQL, instances starting at once pair the stores one after another (an advisory
 * lock in the content store's database), so none sees the other's half-written first start.
 */
async function withPairingLock<T>(sites: StoreSite[], run: () => Promise<T>): Promise<T> {
  const content = sites.find((site) => site.store === 'content');
  if (content?.options.type !== 'postgres') return run();
  return withAdvisoryLock(
    ready(content),
    `store-pairing:${content.options.schema ?? 'public'}`,
    run,
  );
}

async function inspect(site: StoreSite): Promise<void> {
  await guard(site, 'damaged', async () => {
    const dataSource = ready(site);
    const runner = dataSource.createQueryRunner();
    try {
      const migrations = await runner.hasTable('migrations');
      const schema = dataSource.options.type === 'postgres' ? dataSource.options.schema : undefined;
      const table = [schema, 'migrations']
        .filter((part) => part !== undefined)
        .map((part) => dataSource.driver.escape(part))
        .join('.');
      site.populated =
        migrations &&
        (await dataSource.query<unknown[]>(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0;
      if (site.populated && (await runner.hasTable('store_info'))) {
        const row = await dataSource
          .getRepository(StoreInfoEntity)
          .findOneBy({ key: DEPLOYMENT_KEY });
        site.deployment = row?.value;
      }
    } finally {
      await runner.release();
    }
  });
}

/** `site` holds nothing while `other` is a store in use: refuse rather than create `site` empty. */
function refuseUnpaired(site: StoreSite, other: StoreSite): void {
  if (site.populated === true || other.populated !== true) return;
  const cause =
    site.file === 'missing'
      ? 'the file does not exist'
      : site.file === 'empty'
        ? 'the file is empty (0 bytes)'
        : 'the store holds no tables';
  throw new StoreRefusal(
    'missing',
    site.store,
    site.path,
    `${cause}, while the ${other.store} store beside it holds data`,
    HINTS.missing,
  );
}

function refuseMismatch(identity: StoreSite, content: StoreSite): void {
  if (identity.deployment === content.deployment) return;
  throw new StoreRefusal(
    'missing',
    'content',
    content.path,
    `the stores belong to different deployments (content: ${content.deployment ?? 'none'}, identity: ${identity.deployment ?? 'none'})`,
    HINTS.missing,
  );
}

/**
 * One new id into both stores. INSERT OR IGNORE and reading back: an instance starting at the
 * same moment on SQLite (no pairing lock) ends with the id the first one wrote.
 */
async function writeDeployment(identity: StoreSite, content: StoreSite): Promise<void> {
  let id: string = randomUUID();
  for (const site of [identity, content]) {
    id = await guard(site, 'damaged', async () => {
      const repository = ready(site).getRepository(StoreInfoEntity);
      await repository
        .createQueryBuilder()
        .insert()
        .values({ key: DEPLOYMENT_KEY, value: id })
        .orIgnore()
        .execute();
      return (await repository.findOneByOrFail({ key: DEPLOYMENT_KEY })).value;
    });
    site.deployment = id;
  }
  refuseMismatch(identity, content);
}

function ready(site: StoreSite): DataSource {
  if (site.dataSource === undefined) throw new Error(`the ${site.store} store is not open`);
  return site.dataSource;
}

/** Runs `fn`, turning any error but a refusal into a refusal of `kind` for this store. */
async function guard<T>(site: StoreSite, kind: StoreRefusalKind, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof StoreRefusal) throw error;
    throw new StoreRefusal(kind, site.store, site.path, causeOf(error), HINTS[kind]);
  }
}

/** An error's message, with no stack (an AggregateError's, e.g. from a refused connect, joined). */
function causeOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(causeOf).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message !== '' ? error.message : typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

/**
 * pairStores for a process that cannot go on without its stores (the server, `cli migrate`):
 * a refusal is logged as one JSON line ("store refused": store, path, cause, hint; no stack)
 * and the process exits with the refusal's code (docs/operations.md, "When things go wrong").
 */
export async function pairStoresOrExit(
  ...args: Parameters<typeof pairStores>
): Promise<Record<StoreName, string[]>> {
  try {
    return await pairStores(...args);
  } catch (error) {
    if (!(error instanceof StoreRefusal)) throw error;
    exitRefused(error, args[2]);
  }
}

/** Logs a refusal as its one JSON line ("store refused", no stack) and exits with its code. */
export function exitRefused(refusal: StoreRefusal, log: Logger): never {
  log.fatal(refusal.fields, 'store refused');
  process.exit(refusal.exitCode);
}
