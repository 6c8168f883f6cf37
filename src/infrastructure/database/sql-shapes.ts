import type {
  DataSource,
  EntityManager,
  EntityTarget,
  FindManyOptions,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';

/** The SQL text of each shape, per store (each driver writes its own). */
const texts = new WeakMap<DataSource, Map<string, string>>();
/** Shapes kept per store at most: names are written in the code; this only bounds a mistake. */
const MAX_SHAPES = 1_000;
let checking = false;

/**
 * Names the shape of `query`: the SQL text TypeORM writes for it (before parameters are bound)
 * is kept under that name per store, the first time, and reused by every later query of the
 * same name, whose builder is then only used for its parameters and to turn rows into
 * entities. Writing the text (aliases, column lists, property names replaced by column names
 * over the whole statement) costs a hot read about a tenth of its CPU, and is the same every
 * time for the same shape (docs/performance.md, issue 25).
 *
 * The name must tell apart everything that changes the text: which clauses are added, the
 * columns selected, a LIMIT (written into the text), whether an optional condition is there.
 * Parameter values and the length of a builder's `IN (:...list)` do not change it (the list is
 * spread when parameters are bound); the length of a find option's `In([...])` does (find
 * options write one placeholder per value), so it is part of the name. Tests run with
 * `checkSqlShapes(true)`, which writes the text afresh on every use and throws if it differs
 * from the kept one.
 *
 * Only the query itself is named: a clone (TypeORM's pagination over joins, a count) writes
 * its own text. Hand-written: TypeORM keeps no query plans, and its cache option keeps
 * results, not statements.
 */
export function ofShape<T extends ObjectLiteral, Q extends SelectQueryBuilder<T>>(
  query: Q,
  shape: string,
): Q {
  // TypeORM's "after load" broadcast walks the rows and awaits once more per read, for
  // listeners and subscribers these stores do not have; skipped only while that holds.
  if (withoutLoadListeners(query.connection)) query.callListeners(false);
  const write = query.getQuery.bind(query);
  query.getQuery = () =>
    // Set by TypeORM's own pagination over joins on a clone; never on a named query, but a
    // query that has it is not the named shape.
    query.expressionMap.extraAppendedAndWhereCondition !== ''
      ? write()
      : keptSql(query.connection, shape, write);
  return query;
}

/**
 * The SQL text `write` gives, written once per store under the name `shape` and reused (a
 * part of a statement built by hand, such as a subquery's text; see ofShape, whose checks it
 * shares).
 */
export function keptSql(store: DataSource, shape: string, write: () => string): string {
  let kept = texts.get(store);
  if (kept === undefined) {
    kept = new Map();
    texts.set(store, kept);
  }
  const text = kept.get(shape);
  if (text === undefined) {
    const written = write();
    if (kept.size < MAX_SHAPES) kept.set(shape, written);
    return written;
  }
  if (checking) {
    const written = write();
    if (written !== text) {
      throw new Error(
        `SQL shape "${shape}" was written as two texts:\n  kept: ${text}\n  now:  ${written}`,
      );
    }
  }
  return text;
}

/** Per store: whether no entity has an `@AfterLoad` listener and no subscriber is registered. */
const loadListeners = new WeakMap<DataSource, boolean>();

/** Whether `store` has nothing to tell about loaded rows (no `@AfterLoad`, no subscriber). */
export function withoutLoadListeners(store: DataSource): boolean {
  let none = loadListeners.get(store);
  if (none === undefined) {
    none =
      store.subscribers.length === 0 &&
      store.entityMetadatas.every((entity) => entity.afterLoadListeners.length === 0);
    loadListeners.set(store, none);
  }
  return none;
}

/** Tests: write the text of named shapes afresh on every use and throw where it differs. */
export function checkSqlShapes(on: boolean): void {
  checking = on;
}

/** `manager.find(entity, options)`, its text kept under `shape` (see ofShape). */
export function findOfShape<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  shape: string,
  options: FindManyOptions<E>,
): Promise<E[]> {
  return ofShape(
    manager
      .createQueryBuilder(entity, manager.connection.getMetadata(entity).name)
      .setFindOptions(options),
    shape,
  ).getMany();
}
