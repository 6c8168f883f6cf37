import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ReporterStatsRepository } from './reporter-stats.repository';
import { reporterWeight } from './reporter-weight';
import { SealedAccounts } from './sealed-accounts';

/**
 * Reporter accuracy (SPEC §5: "a reporter whose reports are usually rejected weighs less").
 * Moderation weighs a new report by `weightFor(reporter)` and, when the report is decided,
 * records the outcome against the reporter's sealed reference.
 */
@Injectable()
export class ReporterStatsService {
  constructor(
    private readonly accounts: SealedAccounts,
    private readonly transactions: TransactionRunner,
    private readonly stats: ReporterStatsRepository,
  ) {}

  /**
   * The weight of a report by this account: `0.5 + (upheld + 1) / (upheld + rejected + 2)`
   * (see reporterWeight): 1.0 for a new reporter, towards 1.5 for one always upheld, towards
   * 0.5 for one always rejected.
   */
  async weightFor(accountId: string): Promise<number> {
    const stats = await this.stats.findByAccount(accountId);
    return reporterWeight(stats?.upheld ?? 0, stats?.rejected ?? 0);
  }

  /**
   * Counts one decided report for the reporter behind `sealedRef` (upheld or rejected). A
   * single atomic upsert-increment, so concurrent decisions never lose a count on either
   * engine. Does nothing when the reference opens to no account.
   */
  async recordOutcome(sealedRef: string, upheld: boolean): Promise<void> {
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const accountId = await this.accounts.accountIdOf(sealedRef, manager);
      if (accountId !== null) await this.recordIn(manager, accountId, upheld);
    });
  }

  /** Counts one decided report for the account, with `manager` (an identity transaction). */
  async recordIn(manager: EntityManager, accountId: string, upheld: boolean): Promise<void> {
    if (!(await this.accounts.exists(accountId, manager))) return;
    await this.stats.increment(manager, accountId, upheld);
  }
}
