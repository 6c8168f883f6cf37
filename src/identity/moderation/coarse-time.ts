const HOUR_MS = 3_600_000;

/**
 * Identity-side moderation rows (sanctions, notifications) keep their times to the hour only:
 * the content store records moderation decisions to the millisecond, and an exact time on
 * both sides would join a person to a post for anyone holding both stores, without any key.
 */
export function floorToHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

/** Rounded up to the next full hour (a suspension ends at an hour boundary, never early). */
export function ceilToHour(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / HOUR_MS) * HOUR_MS);
}
