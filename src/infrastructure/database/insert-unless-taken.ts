import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Inserts `values` unless a row with the same key exists — also when another transaction
 * inserts one at the same moment (the key decides; the loser inserts nothing and, on
 * PostgreSQL, waits for the winner to commit) — and tells whether this insert took the key.
 *
 * One statement, `INSERT … ON CONFLICT DO NOTHING RETURNING 1`, instead of an insert and a
 * read of the holder: a row comes back only when it went in. The same SQL on SQLite ≥ 3.35
 * and PostgreSQL; TypeORM's builder offers RETURNING on PostgreSQL only, so it is appended to
 * the text the builder writes.
 */
export async function insertUnlessTaken<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  values: QueryDeepPartialEntity<E>,
): Promise<boolean> {
  const [sql, parameters] = manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values)
    .orIgnore()
    .getQueryAndParameters();
  const rows = await manager.query<unknown[]>(`${sql} RETURNING 1 AS "taken"`, parameters);
  return rows.length > 0;
}
