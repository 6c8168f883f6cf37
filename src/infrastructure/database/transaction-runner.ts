import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';

/**
 * What a transaction changed of what an instance keeps in memory from its store (answer
 * caches, shared pages, sessions), as declared by the code that opened it. `{}` declares that
 * it changed nothing an instance keeps (the outbox's own bookkeeping; notifications, which no
 * instance keeps). A transaction that declares nothing may have changed anything: what is kept
 * from the store is dropped (null to the listeners).
 */
export interface Touched {
  /** Boards that gained (or lost) a thread: every order of their feeds may hold others. */
  readonly boards?: readonly string[];
  /** Boards where a thread's score or rank changed: their HOT and TOP orders may differ. */
  readonly ranks?: readonly string[];
  /** Threads whose shown values changed (in a feed: score, comment count; and their page). */
  readonly threads?: readonly string[];
  /** Threads whose page alone changed (a comment's score). */
  readonly pages?: readonly string[];
}

/** The kinds of ids a Touched names (every reader of a whole Touched goes through these). */
export const TOUCHED_KEYS = [
  'boards',
  'ranks',
  'threads',
  'pages',
] as const satisfies ReadonlyArray<keyof Touched>;

/** Whether a commit declared that it changed nothing an instance keeps. */
export function touchesNothing(touched: Touched | null): boolean {
  return touched !== null && TOUCHED_KEYS.every((key) => (touched[key]?.length ?? 0) === 0);
}

/** Whether a commit may have changed what a feed shows: anything but a page alone (or nothing). */
export function touchesFeeds(touched: Touched | null): boolean {
  return (
    touched === null ||
    [touched.boards, touched.ranks, touched.threads].some((ids) => (ids?.length ?? 0) > 0)
  );
}

/** A declaration of what a transaction touches: fixed, or read off what it returns. */
export type Touches<T> = Touched | ((result: T) => Touched);

interface ActiveTransaction {
  store: StoreName;
  manager: EntityManager;
  /** Called once this (outermost) transaction has committed. */
  afterCommit: Array<() => void>;
}

/**
 * The one way feature code writes to a store.
 *
 * TypeORM keeps a single connection per SQLite file, so two overlapping transactions on it
 * fail ("cannot start a transaction within a transaction"). On SQLite every write transaction
 * therefore waits its turn on a per-store mutex; SQLite serialises writers anyway, so nothing
 * is lost but the error. On PostgreSQL transactions run concurrently on the pool.
 * A nested call for the same store joins the enclosing transaction instead of deadlocking.
 */
@Injectable()
export class TransactionRunner {
  private readonly active = new AsyncLocalStorage<ActiveTransaction[]>();
  private readonly locks = new Map<StoreName, Mutex>();
  private readonly commitListeners: Array<(store: StoreName, touched: Touched | null) => void> = [];

  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
  ) {
    for (const [store, dataSource] of [
      [IDENTITY_STORE, identity],
      [CONTENT_STORE, content],
    ] as const) {
      if (dataSource.options.type === 'better-sqlite3') this.locks.set(store, new Mutex());
    }
  }

  dataSource(store: StoreName): DataSource {
    return store === IDENTITY_STORE ? this.identity : this.content;
  }

  /**
   * Runs `work` in one transaction of `store`; commits if it resolves, rolls back if it throws.
   * `touches` declares what the whole transaction changes (Touched), for the commit listeners;
   * without it, the commit may have changed anything. A call that joins an enclosing
   * transaction declares nothing: the code that opened it answers for all of it.
   */
  async run<T>(
    store: StoreName,
    work: (manager: EntityManager) => Promise<T>,
    touches?: Touches<T>,
  ): Promise<T> {
    const stack = this.active.getStore() ?? [];
    const enclosing = stack.find((t) => t.store === store);
    if (enclosing !== undefined) return work(enclosing.manager);

    const afterCommit: Array<() => void> = [];
    const start = (): Promise<T> =>
      this.dataSource(store).transaction((manager) =>
        this.active.run([...stack, { store, manager, afterCommit }], () => work(manager)),
      );
    const lock = this.locks.get(store);
    const result = await (lock === undefined ? start() : lock.runExclusive(start));
    const touched =
      touches === undefined ? null : typeof touches === 'function' ? touches(result) : touches;
    for (const listener of this.commitListeners) listener(store, touched);
    for (const callback of afterCommit) callback();
    return result;
  }

  /**
   * Calls `callback` once the transaction `manager` belongs to (its outermost transaction of
   * that store) has committed; never when it rolls back. A manager from outside `run` is
   * taken as already committed: `callback` runs in the next turn of the event loop.
   */
  afterCommit(manager: EntityManager, callback: () => void): void {
    const transaction = this.active.getStore()?.find((t) => t.manager === manager);
    if (transaction === undefined) setImmediate(callback);
    else transaction.afterCommit.push(callback);
  }

  /**
   * Calls `listener` after each outermost transaction commits (e.g. to drop cached reads), with
   * what it declared it touched (null: anything).
   */
  onCommit(listener: (store: StoreName, touched: Touched | null) => void): void {
    this.commitListeners.push(listener);
  }
}
