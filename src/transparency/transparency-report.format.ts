import type { TransparencyReportData } from './transparency-report.service';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An operator's date: `2026-11-01` (00:00 UTC) or a date-time with its offset
 * (`2026-11-01T09:30:00+01:00`, `…Z`); null for anything else, including impossible days
 * (`2026-02-30`) and times without an offset (which would depend on the machine's zone).
 */
export function parseReportDate(text: string | undefined): Date | null {
  if (text === undefined) return null;
  if (ISO_DATE.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? date : null;
  }
  if (!ISO_DATE_TIME.test(text)) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  // The calendar day as written must exist (Date would roll 02-30 over to March).
  const written = new Date(Date.UTC(y, m - 1, d));
  return written.getUTCMonth() === m - 1 && written.getUTCDate() === d ? date : null;
}

/** The report as the GraphQL answer's JSON has it (dates in ISO 8601, UTC). */
export function transparencyReportJson(report: TransparencyReportData) {
  const counts = (list: TransparencyReportData['byAction']) =>
    list.map(({ key, count }) => ({ key, count }));
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    byJurisdiction: counts(report.byJurisdiction),
    byAction: counts(report.byAction),
    byDecision: counts(report.byDecision),
    byReportReason: counts(report.byReportReason),
    medianSecondsToDecision: report.medianSecondsToDecision,
  };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The report as the CLI prints it. `json`: the GraphQL answer's object. `csv`: a header
 * `section,key,count`, one row per count (sections in the contract's order, each sorted as in
 * the report), then `medianSecondsToDecision,,<seconds>` (empty when there is no decision).
 */
export function formatTransparencyReport(
  report: TransparencyReportData,
  format: ReportFormat,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(transparencyReportJson(report), null, 2)}\n`;
    case 'csv': {
      const sections = [
        ['byJurisdiction', report.byJurisdiction],
        ['byAction', report.byAction],
        ['byDecision', report.byDecision],
        ['byReportReason', report.byReportReason],
      ] as const;
      const rows = [['section', 'key', 'count']];
      for (const [section, counts] of sections)
        for (const { key, count } of counts) rows.push([section, key, String(count)]);
      const median = report.medianSecondsToDecision;
      rows.push(['medianSecondsToDecision', '', median === null ? '' : String(median)]);
      return rows.map((row) => `${row.map(csvField).join(',')}\n`).join('');
    }
  }
}
