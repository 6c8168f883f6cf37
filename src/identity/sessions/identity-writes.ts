import { Injectable } from '@nestjs/common';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ClusterEvents } from '../../infrastructure/events/cluster-events';
import { StoreWrites } from '../../infrastructure/events/store-writes';

/**
 * The identity-write signal for the principal cache: this instance's commits to the identity
 * store and other instances' `principals` announcements.
 */
@Injectable()
export class IdentityWrites extends StoreWrites {
  constructor(transactions: TransactionRunner, cluster: ClusterEvents) {
    super(transactions, cluster, IDENTITY_STORE, 'principals');
  }
}
