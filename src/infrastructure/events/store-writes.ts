import type { OnModuleInit } from '@nestjs/common';
import type { StoreName } from '../database/stores';
import {
  type Touched,
  type TransactionRunner,
  touchesNothing,
} from '../database/transaction-runner';
import type { ClusterEvents, ClusterTopic } from './cluster-events';

/**
 * The write signal of one store, for what an instance keeps in memory from it: a commit of
 * this instance to the store, another instance's announcement of `topic`, or the return of
 * the Redis connection (announcements may have been missed meanwhile). Every local commit is
 * announced; ClusterEvents sends one announcement per topic and turn of the event loop,
 * however many announce it, naming what they touched together. Listeners run before the
 * writing request answers, with what the commit declared it touched (TransactionRunner's
 * Touched), and on the other instances with what the announcement names; null for a commit
 * that declared nothing (and an announcement that names nothing, or more than
 * MAX_ANNOUNCED_IDS ids). A commit that declared it touched nothing an instance keeps is not
 * announced.
 */
export abstract class StoreWrites implements OnModuleInit {
  private readonly listeners: Array<(touched: Touched | null) => void> = [];

  protected constructor(
    transactions: TransactionRunner,
    private readonly cluster: ClusterEvents,
    store: StoreName,
    private readonly topic: ClusterTopic,
  ) {
    transactions.onCommit((committed, touched) => {
      if (committed !== store) return;
      this.emit(touched);
      if (!touchesNothing(touched)) cluster.announce(topic, touched);
    });
  }

  async onModuleInit(): Promise<void> {
    await this.cluster.listen(this.topic, (touched) => this.emit(touched));
    this.cluster.onReconnect(() => this.emit(null));
  }

  /**
   * Calls `listener` after every write to the store, here or on another instance, with what it
   * touched (null: anything; see touchesNothing for a write that changed nothing kept).
   */
  onWrite(listener: (touched: Touched | null) => void): void {
    this.listeners.push(listener);
  }

  private emit(touched: Touched | null): void {
    for (const listener of this.listeners) listener(touched);
  }
}
