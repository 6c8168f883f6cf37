/** Milliseconds in a UTC day (UTC has no daylight saving; leap seconds do not exist in epoch time). */
export const DAY_MS = 86_400_000;

/** Epoch milliseconds of 00:00 UTC of the day `at` falls in. */
export function utcDayStart(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Epoch milliseconds of the first 00:00 UTC at or after `at` (a midnight stays as it is). */
export function utcDayCeil(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.ceil(ms / DAY_MS) * DAY_MS;
}
