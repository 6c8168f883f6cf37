/** Displayed timestamps are rounded down to the minute (SPEC §2.9): no second-level timing to correlate. */
export function roundToMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}

const DAY_MS = 86_400_000;

/** The next UTC midnight at or after `date`: identity rows that must not tell the hour. */
export function ceilToDay(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / DAY_MS) * DAY_MS);
}

/** The UTC midnight at or before `date`. */
export function floorToDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}
