import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ComplianceActionCountEntity } from './compliance-action-count.entity';
import { utcDayStart } from '../../common/utc-days';
import { escapedTablePath } from '../../infrastructure/database/table-path';

/** What a counter needs of a compliance notice: whose rule acted, and how. */
export interface CountedAction {
  readonly jurisdiction: string;
  readonly action: string;
}

/**
 * The daily compliance action counters behind the transparency report (docs/transparency.md):
 * one count per notice, per (UTC day, jurisdiction, action). Incremented by an atomic upsert
 * (`INSERT … ON CONFLICT … DO UPDATE SET count = count + excluded.count`, the same statement on
 * SQLite ≥ 3.24 and PostgreSQL), so concurrent posts never lose a count on either engine.
 */
@Injectable()
export class ComplianceCounters {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * Counts `actions` on the day of `at`, in the caller's content-store transaction: the
   * counts commit or roll back with what they count.
   */
  async count(
    manager: EntityManager,
    actions: readonly CountedAction[],
    at: Date = new Date(),
  ): Promise<void> {
    if (actions.length === 0) return;
    const day = utcDayStart(at);
    const tally = new Map<string, { jurisdiction: string; action: string; count: number }>();
    for (const { jurisdiction, action } of actions) {
      const key = JSON.stringify([jurisdiction, action]);
      const row = tally.get(key) ?? { jurisdiction, action, count: 0 };
      row.count += 1;
      tally.set(key, row);
    }
    const rows = [...tally.values()];
    const driver = manager.connection.driver;
    const metadata = manager.connection.getMetadata(ComplianceActionCountEntity);
    const table = escapedTablePath(manager.connection, ComplianceActionCountEntity);
    const count = driver.escape('count');
    const values = rows.map((_, i) => `(:day, :j${i}, :a${i}, :c${i})`).join(', ');
    const parameters: Record<string, string | number> = { day };
    rows.forEach((row, i) => {
      parameters[`j${i}`] = row.jurisdiction;
      parameters[`a${i}`] = row.action;
      parameters[`c${i}`] = row.count;
    });
    // One statement per judgement; the rows are distinct keys (PostgreSQL refuses to update
    // the same row twice in one INSERT … ON CONFLICT).
    const [sql, bound] = driver.escapeQueryWithParameters(
      `INSERT INTO ${table} (day, jurisdiction, action, ${count}) VALUES ${values}
       ON CONFLICT (day, jurisdiction, action)
       DO UPDATE SET ${count} = ${driver.escape(metadata.tableName)}.${count} + excluded.${count}`,
      parameters,
    );
    await manager.query(sql, bound);
  }

  /**
   * Counts the notices of a refused (blocked) submission in a transaction of its own: nothing
   * else is stored for it. Must not be called inside a content-store transaction that is then
   * rolled back (the TransactionRunner would join it and the count would be lost with it).
   */
  async countRefused(actions: readonly CountedAction[], at: Date = new Date()): Promise<void> {
    if (actions.length === 0) return;
    await this.transactions.run(CONTENT_STORE, (manager) => this.count(manager, actions, at));
  }
}
