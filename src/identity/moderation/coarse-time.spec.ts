import { ceilToHour, floorToHour } from './coarse-time';

describe('coarse time', () => {
  it('rounds down and up to whole hours, leaving whole hours alone', () => {
    const t = new Date('2026-11-21T10:15:42.123Z');
    expect(floorToHour(t).toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(ceilToHour(t).toISOString()).toBe('2026-11-21T11:00:00.000Z');
    const whole = new Date('2026-11-21T10:00:00.000Z');
    expect(floorToHour(whole)).toEqual(whole);
    expect(ceilToHour(whole)).toEqual(whole);
  });
});
