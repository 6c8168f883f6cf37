import type { DataSource } from 'typeorm';

/**
 * A table as plain SQL (a migration's, or code reading tables that have no entity) must name it: quoted, and in the store's schema on
 * PostgreSQL (each store is a schema there). Plain SQL, not entity metadata, so a migration
 * keeps its meaning when an entity class changes later.
 */
export function storeTable(dataSource: DataSource, table: string): string {
  const { driver, options } = dataSource;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  return (schema === undefined ? [table] : [schema, table])
    .map((part) => driver.escape(part))
    .join('.');
}
