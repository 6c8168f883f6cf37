import type { DataSource } from 'typeorm';
import { ReportEntity, ReviewItemEntity } from '../moderation/review.entity';
import { ComplianceActionCountEntity } from '../compliance/enforcement/compliance-action-count.entity';
import { escapedTablePath } from '../infrastructure/database/table-path';

/** A window of whole UTC days, as epoch milliseconds: [from, to). */
export interface DayWindow {
  readonly from: number;
  readonly to: number;
}

/** One group of a count. */
export interface KeyCount {
  readonly key: string;
  readonly count: number;
}

/** Decided review items of one kind and decision. */
export interface DecisionCount {
  readonly kind: string;
  readonly decision: string;
  readonly count: number;
}

/**
 * The transparency report's reads of the content store (docs/transparency.md). Plain (no Nest)
 * so that the CLI can use it on a DataSource of its own. Every read is an aggregate: no row of
 * a post, a report or a review item ever leaves the database.
 */
export class TransparencyRepository {
  constructor(private readonly content: DataSource) {}

  /** Compliance actions in the window, per jurisdiction or per action. */
  async actionCounts(window: DayWindow, by: 'jurisdiction' | 'action'): Promise<KeyCount[]> {
    const rows = await this.content
      .getRepository(ComplianceActionCountEntity)
      .createQueryBuilder('c')
      .select(`c.${by}`, 'key')
      .addSelect('SUM(c.count)', 'count')
      .where('c.day >= :from AND c.day < :to', window)
      .groupBy(`c.${by}`)
      .getRawMany<{ key: string; count: string | number }>();
    return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }

  /** Review items whose (latest) decision was made in the window, per kind and decision. */
  async decisionCounts(window: DayWindow): Promise<DecisionCount[]> {
    const rows = await this.decided(window)
      .select('r.kind', 'kind')
      .addSelect('r.decision', 'decision')
      .addSelect('COUNT(*)', 'count')
      .groupBy('r.kind')
      .addGroupBy('r.decision')
      .getRawMany<{ kind: string; decision: string; count: string | number }>();
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  /** Reports made in the window, per reason. */
  async reportReasonCounts(window: DayWindow): Promise<KeyCount[]> {
    const rows = await this.content
      .getRepository(ReportEntity)
      .createQueryBuilder('p')
      .select('p.reason', 'key')
      .addSelect('COUNT(*)', 'count')
      .where('p.createdAt >= :from AND p.createdAt < :to', window)
      .groupBy('p.reason')
      .getRawMany<{ key: string; count: string | number }>();
    return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }

  /**
   * The median of (decided_at − queued_at), in milliseconds, over the items decided in the
   * window that had entered the queue; null when there are none. The database counts them,
   * sorts their durations and returns the one or two middle values (LIMIT 2 OFFSET ⌊(n−1)/2⌋):
   * the process holds at most two numbers whatever the window's size.
   */
  async medianDecisionMillis(window: DayWindow): Promise<number | null> {
    const counted = await this.decided(window)
      .andWhere('r.queuedAt IS NOT NULL')
      .select('COUNT(*)', 'n')
      .getRawOne<{ n: string | number }>();
    const n = Number(counted?.n ?? 0);
    if (n === 0) return null;
    const driver = this.content.driver;
    const table = escapedTablePath(this.content, ReviewItemEntity);
    const middle = Math.floor((n - 1) / 2);
    const take = n % 2 === 1 ? 1 : 2;
    const [sql, parameters] = driver.escapeQueryWithParameters(
      `SELECT (decided_at - queued_at) AS duration FROM ${table}
       WHERE decision IS NOT NULL AND decided_at >= :from AND decided_at < :to
         AND queued_at IS NOT NULL
       ORDER BY duration ASC LIMIT ${take} OFFSET ${middle}`,
      { from: window.from, to: window.to },
    );
    const rows = await this.content.query<Array<{ duration: string | number }>>(sql, parameters);
    if (rows.length === 0) return null; // decided items changed between the two reads
    return rows.reduce((sum, row) => sum + Number(row.duration), 0) / rows.length;
  }

  private decided(window: DayWindow) {
    return this.content
      .getRepository(ReviewItemEntity)
      .createQueryBuilder('r')
      .where('r.decision IS NOT NULL')
      .andWhere('r.decidedAt >= :from AND r.decidedAt < :to', window);
  }
}
