import type { DataSource } from 'typeorm';
import { TransparencyException, TransparencyExceptionReason } from './transparency.exception';
import {
  type DayWindow,
  type DecisionCount,
  type KeyCount,
  TransparencyRepository,
} from './transparency.repository';
import { DAY_MS, utcDayCeil, utcDayStart } from '../common/utc-days';

/** The longest window a report covers, in days (a leap year). */
export const REPORT_MAX_DAYS = 366;

/** The contract's `TransparencyReport`, as plain data (the resolver and the CLI share it). */
export interface TransparencyReportData {
  /** The window counted: `from` rounded down and `to` up to 00:00 UTC. */
  readonly from: Date;
  readonly to: Date;
  readonly byJurisdiction: KeyCount[];
  readonly byAction: KeyCount[];
  readonly byDecision: KeyCount[];
  readonly byReportReason: KeyCount[];
  readonly medianSecondsToDecision: number | null;
}

/** The key of a decision: `APPROVE`, `REJECT`, `IGNORE`, or `APPEAL:APPROVE` / `APPEAL:REJECT`. */
export function decisionKey(row: Pick<DecisionCount, 'kind' | 'decision'>): string {
  return row.kind === 'APPEAL' ? `APPEAL:${row.decision}` : row.decision;
}

/** Counts of the same key added up (decisions of every kind but APPEAL share their keys). */
function sumByKey(entries: ReadonlyArray<readonly [string, number]>): KeyCount[] {
  const sums = new Map<string, number>();
  for (const [key, count] of entries) sums.set(key, (sums.get(key) ?? 0) + count);
  return [...sums].map(([key, count]) => ({ key, count }));
}

/** Largest count first, then by key (code point order, the same everywhere). */
export function byCountThenKey(counts: readonly KeyCount[]): KeyCount[] {
  return [...counts].sort((a, b) =>
    a.count !== b.count ? b.count - a.count : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/**
 * The window a report counts: whole UTC days, because compliance actions are counted per day.
 * `from` is rounded down to 00:00 UTC of its day, `to` up to the next 00:00 UTC (unless it is
 * one), and every section of the report uses that same window.
 */
export function reportWindow(from: Date, to: Date): DayWindow {
  const invalid = [from, to].flatMap((date, i) =>
    Number.isNaN(date.getTime()) ? [i === 0 ? 'from' : 'to'] : [],
  );
  if (invalid.length > 0) {
    throw new TransparencyException(
      TransparencyExceptionReason.INVALID_DATE,
      'from and to must be valid dates.',
      invalid,
    );
  }
  if (from.getTime() >= to.getTime()) {
    throw new TransparencyException(
      TransparencyExceptionReason.EMPTY_WINDOW,
      'from must be before to.',
      ['from', 'to'],
    );
  }
  const window = { from: utcDayStart(from), to: utcDayCeil(to) };
  if (window.to - window.from > REPORT_MAX_DAYS * DAY_MS) {
    throw new TransparencyException(
      TransparencyExceptionReason.WINDOW_TOO_LONG,
      `A report covers at most ${REPORT_MAX_DAYS} days (whole UTC days, from 00:00 UTC of from's day to 00:00 UTC after to).`,
      ['from', 'to'],
    );
  }
  return window;
}

/**
 * The transparency report (SPEC §6, docs/transparency.md): compliance actions per jurisdiction
 * and per action, moderation decisions, reports per reason and the median time from queue to
 * decision, over a window of whole UTC days. Counts only: nothing in it names a post, a rule
 * hit on a post, a reporter, an author or a moderator.
 *
 * Plain (no Nest): the GraphQL resolver gets it from TransparencyModule, the CLI builds one on
 * a DataSource of its own.
 */
export class TransparencyReportService {
  private readonly repository: TransparencyRepository;

  constructor(content: DataSource) {
    this.repository = new TransparencyRepository(content);
  }

  async report(from: Date, to: Date): Promise<TransparencyReportData> {
    const window = reportWindow(from, to);
    const [byJurisdiction, byAction, decisions, byReportReason, medianMillis] = await Promise.all([
      this.repository.actionCounts(window, 'jurisdiction'),
      this.repository.actionCounts(window, 'action'),
      this.repository.decisionCounts(window),
      this.repository.reportReasonCounts(window),
      this.repository.medianDecisionMillis(window),
    ]);
    return {
      from: new Date(window.from),
      to: new Date(window.to),
      byJurisdiction: byCountThenKey(byJurisdiction),
      byAction: byCountThenKey(byAction),
      byDecision: byCountThenKey(sumByKey(decisions.map((row) => [decisionKey(row), row.count]))),
      byReportReason: byCountThenKey(byReportReason),
      medianSecondsToDecision: medianMillis === null ? null : medianMillis / 1000,
    };
  }
}
