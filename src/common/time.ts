/** Displayed timestamps are rounded down to the minute (SPEC §2.9): no second-level timing to correlate. */
export function roundToMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}
