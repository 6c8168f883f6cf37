import { Injectable } from '@nestjs/common';
import { CONTENT_STORE } from '../database/stores';
import { TransactionRunner } from '../database/transaction-runner';
import { ClusterEvents } from './cluster-events';
import { StoreWrites } from './store-writes';

/**
 * The content-write signal for what is kept in memory from the content store (the visitor
 * cache, the shared feed pages): this instance's commits and other instances' `content`
 * announcements.
 */
@Injectable()
export class ContentWrites extends StoreWrites {
  constructor(transactions: TransactionRunner, cluster: ClusterEvents) {
    super(transactions, cluster, CONTENT_STORE, 'content');
  }
}
