import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';

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
  private readonly commitListeners: Array<(store: StoreName) => void> = [];

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

  /** Runs `work` in one transaction of `store`; commits if it resolves, rolls back if it throws. */
  async run<T>(store: StoreName, work: (manager: EntityManager) => Promise<T>): Promise<T> {
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
    for (const listener of this.commitListeners) listener(store);
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

  /** Calls `listener` after each outermost transaction commits (e.g. to drop cached reads). */
  onCommit(listener: (store: StoreName) => void): void {
    this.commitListeners.push(listener);
  }
}
