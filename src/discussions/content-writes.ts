import { Injectable } from '@nestjs/common';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { ClusterEvents } from '../infrastructure/events/cluster-events';
import { StoreWrites } from '../infrastructure/events/store-writes';

/**
 * The content-write signal for what is kept in memory from the content store (the same one
 * the visitor cache listens to): this instance's commits and other instances' `content`
 * announcements.
 */
@Injectable()
export class ContentWrites extends StoreWrites {
  constructor(transactions: TransactionRunner, cluster: ClusterEvents) {
    super(transactions, cluster, CONTENT_STORE, 'content');
  }
}
