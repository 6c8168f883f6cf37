import type { OnModuleInit } from '@nestjs/common';
import type { StoreName } from '../database/stores';
import type { TransactionRunner } from '../database/transaction-runner';
import type { ClusterEvents, ClusterTopic } from './cluster-events';

/**
 * The write signal of one store, for what an instance keeps in memory from it: a commit of
 * this instance to the store, another instance's announcement of `topic`, or the return of
 * the Redis connection (announcements may have been missed meanwhile). Every local commit is
 * announced; ClusterEvents sends one announcement per topic and turn of the event loop,
 * however many announce it. Listeners run before the writing request answers.
 */
export abstract class StoreWrites implements OnModuleInit {
  private readonly listeners: Array<() => void> = [];

  protected constructor(
    transactions: TransactionRunner,
    private readonly cluster: ClusterEvents,
    store: StoreName,
    private readonly topic: ClusterTopic,
  ) {
    transactions.onCommit((committed) => {
      if (committed !== store) return;
      this.emit();
      cluster.announce(topic);
    });
  }

  async onModuleInit(): Promise<void> {
    await this.cluster.listen(this.topic, () => this.emit());
    this.cluster.onReconnect(() => this.emit());
  }

  /** Calls `listener` after every write to the store, here or on another instance. */
  onWrite(listener: () => void): void {
    this.listeners.push(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
