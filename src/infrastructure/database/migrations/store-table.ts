import type { QueryRunner } from 'typeorm';

/**
 * A table as a migration's plain SQL must name it: quoted, and in the store's schema on
 * PostgreSQL (each store is a schema there). Plain SQL, not entity metadata, so a migration
 * keeps its meaning when an entity class changes later.
 */
export function storeTable(queryRunner: QueryRunner, table: string): string {
  const { driver, options } = queryRunner.connection;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  return (schema === undefined ? [table] : [schema, table])
    .map((part) => driver.escape(part))
    .join('.');
}
