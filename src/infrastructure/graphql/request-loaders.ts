import DataLoader from 'dataloader';

const perRequest = new WeakMap<object, Map<string, unknown>>();

/**
 * A DataLoader that lives as long as one GraphQL request (keyed by its `req` object), so the
 * items of one page are fetched in one query and nothing is cached across requests or people.
 * `name` must identify the loader including anything viewer-specific it closes over.
 */
export function requestLoader<K, V>(
  req: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
): DataLoader<K, V> {
  let loaders = perRequest.get(req);
  if (loaders === undefined) {
    loaders = new Map();
    perRequest.set(req, loaders);
  }
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (loader === undefined) {
    loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    loaders.set(name, loader);
  }
  return loader;
}

/**
 * Drops the loaders of `req`. A subscription keeps one context (and one `req`) for as long as
 * it runs, so after each of its events its loaders are dropped: the next event reads afresh
 * instead of being served what an earlier one loaded, and a long-lived subscription does not
 * keep every row it ever loaded.
 */
export function forgetRequestLoaders(req: object | undefined): void {
  if (req !== undefined) perRequest.delete(req);
}

/** Orders batch results like the keys, with `fallback` where a key found nothing. */
export function byKeys<K, V, F>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
  fallback: F,
): Array<V | F> {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? fallback);
}
