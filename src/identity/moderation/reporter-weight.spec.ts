import { reporterWeight } from './reporter-weight';

describe('reporterWeight', () => {
  it('weighs a new reporter 1.0', () => {
    expect(reporterWeight(0, 0)).toBe(1);
  });

  it('follows 0.5 + (upheld + 1) / (upheld + rejected + 2)', () => {
    expect(reporterWeight(8, 0)).toBeCloseTo(1.4, 10);
    expect(reporterWeight(0, 8)).toBeCloseTo(0.6, 10);
    expect(reporterWeight(3, 1)).toBeCloseTo(0.5 + 4 / 6, 10);
    expect(reporterWeight(5, 5)).toBe(1);
  });

  it('approaches 1.5 for an always-upheld reporter and 0.5 for an always-rejected one, never reaching either', () => {
    expect(reporterWeight(10_000, 0)).toBeGreaterThan(1.499);
    expect(reporterWeight(10_000, 0)).toBeLessThan(1.5);
    expect(reporterWeight(0, 10_000)).toBeLessThan(0.501);
    expect(reporterWeight(0, 10_000)).toBeGreaterThan(0.5);
  });

  it('rises with each upheld report and falls with each rejected one', () => {
    expect(reporterWeight(1, 0)).toBeGreaterThan(reporterWeight(0, 0));
    expect(reporterWeight(0, 1)).toBeLessThan(reporterWeight(0, 0));
    expect(reporterWeight(4, 2)).toBeGreaterThan(reporterWeight(3, 2));
  });
});
