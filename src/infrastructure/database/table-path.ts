import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity's table as raw SQL must name it: schema-qualified on PostgreSQL (each store is a
 * schema) and quoted for the store's driver. For the few statements written by hand
 * (upserts, unions, window reads) that the query builder cannot express.
 */
export function escapedTablePath(
  dataSource: DataSource,
  entity: EntityTarget<ObjectLiteral>,
): string {
  return dataSource
    .getMetadata(entity)
    .tablePath.split('.')
    .map((part) => dataSource.driver.escape(part))
    .join('.');
}
