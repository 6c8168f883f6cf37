import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AccountEntity } from '../accounts/account.entity';
import { ReporterStatEntity } from './reporter-stat.entity';
import { reporterWeight } from './reporter-weight';
import { SealedAccounts } from './sealed-accounts';
import { escapedTablePath } from '../../infrastructure/database/table-path';

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
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  /**
   * The weight of a report by this account: `0.5 + (upheld + 1) / (upheld + rejected + 2)`
   * (see reporterWeight): 1.0 for a new reporter, towards 1.5 for one always upheld, towards
   * 0.5 for one always rejected.
   */
  async weightFor(accountId: string): Promise<number> {
    const stats = await this.identity.getRepository(ReporterStatEntity).findOneBy({ accountId });
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
    if ((await manager.countBy(AccountEntity, { id: accountId })) === 0) return;
    const metadata = manager.connection.getMetadata(ReporterStatEntity);
    const driver = manager.connection.driver;
    const table = escapedTablePath(manager.connection, ReporterStatEntity);
    const column = upheld ? 'upheld' : 'rejected';
    const existing = `${driver.escape(metadata.tableName)}.${column}`;
    // INSERT … ON CONFLICT DO UPDATE: the same statement on SQLite (≥ 3.24) and PostgreSQL.
    const [sql, parameters] = driver.escapeQueryWithParameters(
      `INSERT INTO ${table} (account_id, upheld, rejected) VALUES (:accountId, :upheld, :rejected)
       ON CONFLICT (account_id) DO UPDATE SET ${column} = ${existing} + 1`,
      { accountId, upheld: upheld ? 1 : 0, rejected: upheld ? 0 : 1 },
    );
    await manager.query(sql, parameters);
  }
}
