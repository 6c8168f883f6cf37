import { formatTransparencyReport, parseReportDate } from './transparency-report.format';
import {
  byCountThenKey,
  decisionKey,
  reportWindow,
  type TransparencyReportData,
} from './transparency-report.service';
import { TransparencyException } from './transparency.exception';

const at = (iso: string) => new Date(iso);

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception');
}

describe('reportWindow', () => {
  it('rounds from down and to up to 00:00 UTC, and keeps midnights as they are', () => {
    expect(reportWindow(at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z'))).toEqual({
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(reportWindow(at('2026-03-01T23:59:59.999Z'), at('2026-03-02T00:00:00.001Z'))).toEqual({
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-03-03T00:00:00Z'),
    });
    // Offsets are read as the instants they name: 01:00+02:00 is 23:00 UTC the day before.
    expect(reportWindow(at('2026-03-02T01:00:00+02:00'), at('2026-03-02T12:00:00Z')).from).toBe(
      Date.parse('2026-03-01T00:00:00Z'),
    );
  });

  it.each([
    ['an empty window', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['a backwards window', '2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['367 days', '2025-01-01T00:00:00Z', '2026-01-03T00:00:00Z'],
    ['366 days asked that span 367 whole days', '2024-01-01T06:00:00Z', '2025-01-01T06:00:00Z'],
  ])('refuses %s with BAD_USER_INPUT naming from and to', (_, from, to) => {
    const error = thrownBy(() => reportWindow(at(from), at(to)));
    expect(error).toBeInstanceOf(TransparencyException);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { fields: ['from', 'to'] } });
  });

  it('accepts a leap year, the longest window', () => {
    expect(() =>
      reportWindow(at('2024-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z')),
    ).not.toThrow();
  });

  it('names an invalid date', () => {
    expect(
      thrownBy(() => reportWindow(new Date(Number.NaN), at('2025-01-01T00:00:00Z'))),
    ).toMatchObject({ code: 'BAD_USER_INPUT', details: { fields: ['from'] } });
  });
});

describe('report keys and order', () => {
  it('keys appeal decisions apart from first decisions', () => {
    expect(decisionKey({ kind: 'RULE_HOLD', decision: 'APPROVE' })).toBe('APPROVE');
    expect(decisionKey({ kind: 'APPEAL', decision: 'APPROVE' })).toBe('APPEAL:APPROVE');
  });

  it('sorts by count, largest first, then by key', () => {
    expect(
      byCountThenKey([
        { key: 'b', count: 1 },
        { key: 'c', count: 2 },
        { key: 'a', count: 1 },
      ]),
    ).toEqual([
      { key: 'c', count: 2 },
      { key: 'a', count: 1 },
      { key: 'b', count: 1 },
    ]);
  });
});

describe('parseReportDate', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30:00Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30+01:00', '2026-11-01T08:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseReportDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    undefined,
    '',
    'yesterday',
    '2026-02-30',
    '2025-02-29',
    '2026-11-01T09:30:00',
    '01/11/2026',
  ])('refuses %p', (text) => {
    expect(parseReportDate(text)).toBeNull();
  });
});

describe('formatTransparencyReport', () => {
  const report: TransparencyReportData = {
    from: at('2026-03-01T00:00:00Z'),
    to: at('2026-04-01T00:00:00Z'),
    byJurisdiction: [{ key: 'DE', count: 3 }],
    byAction: [{ key: 'WITHHOLD', count: 3 }],
    byDecision: [{ key: 'APPEAL:REJECT', count: 1 }],
    byReportReason: [{ key: 'a,"b"', count: 2 }],
    medianSecondsToDecision: 90.5,
  };

  it('writes CSV with a header, one row per count and the median, quoting where needed', () => {
    expect(formatTransparencyReport(report, 'csv')).toBe(
      [
        'section,key,count',
        'byJurisdiction,DE,3',
        'byAction,WITHHOLD,3',
        'byDecision,APPEAL:REJECT,1',
        'byReportReason,"a,""b""",2',
        'medianSecondsToDecision,,90.5',
        '',
      ].join('\n'),
    );
    expect(formatTransparencyReport({ ...report, medianSecondsToDecision: null }, 'csv')).toMatch(
      /\nmedianSecondsToDecision,,\n$/,
    );
  });

  it('writes JSON shaped as the GraphQL answer', () => {
    expect(JSON.parse(formatTransparencyReport(report, 'json'))).toEqual({
      ...report,
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    });
  });
});
