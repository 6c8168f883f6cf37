import type { DataSource } from 'typeorm';

type Escape = (
  sql: string,
  parameters: Record<string, unknown>,
  nativeParameters: Record<string, unknown>,
) => [string, unknown[]];

/**
 * Makes TypeORM bind whole-number parameters to SQLite statements instead of writing them into
 * the SQL. Its SQLite drivers write every number parameter into the statement's text, so a
 * statement holding a time (`expires_at > :now`, a row's `created_at`) is new text on every
 * call: prepared again each time (better-sqlite3's prepare cost more than many statements'
 * run) and pushing the statements worth keeping out of the statement cache. A safe integer is
 * handed over as a BigInt, which TypeORM binds like any other value and better-sqlite3 binds as
 * an INTEGER: the same value, type and comparisons as the literal it replaces. Other numbers
 * (fractions) are left as they were. Nothing else in TypeORM reads the escaped parameters, and
 * no option does this, hence the wrap. PostgreSQL binds every parameter already.
 */
export function bindWholeNumbers(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: Escape };
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, nativeParameters) => {
    let bound: Record<string, unknown> | null = null;
    for (const key in parameters) {
      const value = parameters[key];
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        bound ??= { ...parameters };
        bound[key] = BigInt(value);
      }
    }
    return escape(sql, bound ?? parameters, nativeParameters);
  };
}
