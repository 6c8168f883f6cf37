import { DAY_MS, niceScale, periodsOf, utcMidnight } from './periods';

describe('periodsOf', () => {
  const from = utcMidnight('2026-01-01');

  it('gives weeks when at most twelve fit', () => {
    const periods = periodsOf({ from, to: from + 84 * DAY_MS });
    expect(periods).toHaveLength(12);
    expect(periods.every((p) => p.to - p.from === 7 * DAY_MS)).toBe(true);
  });

  it('stretches periods to stay at twelve or fewer, covering the window exactly', () => {
    const to = from + 365 * DAY_MS;
    const periods = periodsOf({ from, to });
    expect(periods.length).toBeLessThanOrEqual(12);
    expect(periods[0]?.from).toBe(from);
    expect(periods.at(-1)?.to).toBe(to);
    for (let i = 1; i < periods.length; i++) expect(periods[i]?.from).toBe(periods[i - 1]?.to);
  });

  it('gives nothing for an empty or reversed window', () => {
    expect(periodsOf({ from, to: from })).toEqual([]);
    expect(periodsOf({ from, to: from - DAY_MS })).toEqual([]);
  });

  it('rejects malformed dates', () => {
    expect(utcMidnight('2026-1-1')).toBeNaN();
  });
});

describe('niceScale', () => {
  it('rounds the axis up to whole steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(niceScale(3)).toEqual({ max: 3, step: 1 });
    expect(niceScale(47)).toEqual({ max: 50, step: 10 });
    expect(niceScale(230)).toEqual({ max: 250, step: 50 });
  });
});
