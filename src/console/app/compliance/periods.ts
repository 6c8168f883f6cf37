/** Dates of the transparency page: whole UTC days, as the report counts them. */

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC day. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC of a `YYYY-MM-DD`, or NaN. */
export const utcMidnight = (date: string): number =>
  /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;

export interface Period {
  /** Inclusive, 00:00 UTC. */
  from: number;
  /** Exclusive, 00:00 UTC. */
  to: number;
}

/**
 * Splits [from, to) into at most `max` periods of whole days: weeks when that fits, longer
 * equal periods otherwise (the last one may be shorter).
 */
export function periodsOf(window: Period, max = 12): Period[] {
  const days = Math.round((window.to - window.from) / DAY_MS);
  if (days <= 0) return [];
  const size = Math.max(7, Math.ceil(days / max));
  const periods: Period[] = [];
  for (let from = window.from; from < window.to; from += size * DAY_MS)
    periods.push({ from, to: Math.min(window.to, from + size * DAY_MS) });
  return periods;
}

/** The largest "nice" axis maximum at or above `value` and its tick step (integers). */
export function niceScale(value: number, maxTicks = 5): { max: number; step: number } {
  if (value <= 0) return { max: 1, step: 1 };
  const rough = value / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step =
    [1, 2, 5, 10].map((m) => Math.max(1, m * magnitude)).find((s) => s >= rough) ?? 10 * magnitude;
  return { max: Math.ceil(value / step) * step, step };
}
