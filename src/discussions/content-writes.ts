import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { ClusterEvents } from '../infrastructure/events/cluster-events';

/**
 * The content-write signal for what is kept in memory from the content store (the same one
 * the visitor cache listens to): a commit of this instance to the content store, another
 * instance's `content` announcement, or the return of the Redis connection (announcements may
 * have been missed meanwhile). Every local commit is announced; ClusterEvents sends one
 * announcement per topic and turn of the event loop, however many announce it.
 */
@Injectable()
export class ContentWrites implements OnModuleInit {
  private readonly listeners: Array<() => void> = [];

  constructor(
    transactions: TransactionRunner,
    private readonly cluster: ClusterEvents,
  ) {
    transactions.onCommit((store) => {
      if (store !== CONTENT_STORE) return;
      this.emit();
      cluster.announce('content');
    });
  }

  async onModuleInit(): Promise<void> {
    await this.cluster.listen('content', () => this.emit());
    this.cluster.onReconnect(() => this.emit());
  }

  /** Calls `listener` after every content write, here or on another instance. */
  onWrite(listener: () => void): void {
    this.listeners.push(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
