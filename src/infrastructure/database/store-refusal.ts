import type { StoreName } from './stores';

/**
 * Exit codes of a refused start-up (sysexits.h), listed in docs/operations.md
 * ("When things go wrong").
 */
export const STORE_EXIT = {
  /** EX_NOINPUT: a store is missing beside a populated one, or the two belong to different deployments. */
  missing: 66,
  /** EX_UNAVAILABLE: the database could not be reached. */
  unreachable: 69,
  /** EX_IOERR: a store file is corrupt, not a database, unreadable or not writable. */
  damaged: 74,
} as const;

export type StoreRefusalKind = keyof typeof STORE_EXIT;

/**
 * Why the server will not open its stores: logged as one JSON line ("store refused") naming
 * the store, where it is (a file, or host:port/database and schema — never a password), the
 * cause and what to do, then the process exits with `exitCode`.
 */
export class StoreRefusal extends Error {
  constructor(
    readonly kind: StoreRefusalKind,
    readonly store: StoreName,
    readonly path: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`the ${store} store at ${path} was refused: ${reason}`);
    this.name = 'StoreRefusal';
  }

  get exitCode(): number {
    return STORE_EXIT[this.kind];
  }

  /** The fields of the log line. */
  get fields(): Record<string, string> {
    return { store: this.store, path: this.path, cause: this.reason, hint: this.hint };
  }
}
