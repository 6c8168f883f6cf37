import type { DataSource } from 'typeorm';

/** A table's name as the store's SQL needs it (schema-qualified and quoted on PostgreSQL). */
export function tableName(dataSource: DataSource, entityTablePath: string): string {
  return entityTablePath
    .split('.')
    .map((part) => dataSource.driver.escape(part))
    .join('.');
}

/** Every cell of every table of a store, as lower-case text: to search for what must not be there. */
export async function dumpStore(dataSource: DataSource): Promise<string> {
  const cells: string[] = [];
  for (const entity of dataSource.entityMetadatas) {
    const rows = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM ${tableName(dataSource, entity.tablePath)}`,
    );
    for (const row of rows) for (const value of Object.values(row)) cells.push(String(value));
  }
  return cells.join('\n').toLowerCase();
}
