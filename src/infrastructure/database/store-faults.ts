import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';

/**
 * SQLite's answers for a damaged file: pages that do not parse (SQLITE_CORRUPT and its extended
 * codes, e.g. SQLITE_CORRUPT_INDEX), or a header that is not SQLite's (SQLITE_NOTADB).
 */
const isCorruption = (code: unknown): boolean =>
  typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');

/**
 * TypeORM's logger for a store: logs nothing (queries are not logged, see docs/anonymity.md)
 * but remembers the first sign of a damaged file that any query met, so /health/ready can
 * report the store not ready from then on without re-reading the whole file on every probe
 * (`PRAGMA quick_check` takes seconds on a large file). Corruption does not heal while the
 * process runs: the store has to be restored (docs/operations.md, "When things go wrong").
 */
export class StoreFaultLogger implements TypeOrmLogger {
  private seen: string | undefined;

  /** The message of the first corruption error a query met, if any. */
  get corruption(): string | undefined {
    return this.seen;
  }

  logQueryError(error: string | Error): void {
    if (this.seen !== undefined || typeof error === 'string') return;
    if (isCorruption((error as { code?: unknown }).code)) this.seen = error.message;
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The corruption a store's queries met so far (undefined while none, or on PostgreSQL). */
export function corruptionSeen(dataSource: DataSource): string | undefined {
  const logger = dataSource.logger;
  return logger instanceof StoreFaultLogger ? logger.corruption : undefined;
}
