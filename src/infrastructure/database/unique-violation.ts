import { QueryFailedError } from 'typeorm';

/**
 * Whether a failed write broke a unique constraint (PostgreSQL 23505, SQLite
 * SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY): lets a feature rely on a unique index for
 * idempotency and re-read the winner instead of checking first and racing.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown } | undefined;
  const code = typeof driverError?.code === 'string' ? driverError.code : '';
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
