import { ReviewKind } from './review-enums';
import { backlogOf } from './review-queue-metrics';

describe('backlogOf', () => {
  const minute = 60_000;
  const now = Date.UTC(2026, 0, 5, 10, 30, 5); // 10:30:05

  it('lists every kind, with 0 for an empty queue', () => {
    expect(backlogOf([], now)).toEqual(
      Object.values(ReviewKind).map((kind) => ({ kind, pending: 0, oldestAgeSeconds: 0 })),
    );
  });

  it('counts the age in whole minutes of the clock, not from the moment of queuing', () => {
    const at = (ms: number) =>
      backlogOf([{ kind: ReviewKind.APPEAL, pending: 2, oldest: ms }], now).find(
        (row) => row.kind === String(ReviewKind.APPEAL),
      );
    // Queued at 10:29:59 and at 10:29:01: both one minute old at 10:30:05.
    expect(at(now - 6_000)).toEqual({ kind: ReviewKind.APPEAL, pending: 2, oldestAgeSeconds: 60 });
    expect(at(now - 64_000)?.oldestAgeSeconds).toBe(60);
    // Queued at 10:30:01: none yet.
    expect(at(now - 4_000)?.oldestAgeSeconds).toBe(0);
    expect(at(now - 120 * minute)?.oldestAgeSeconds).toBe(7200);
  });
});
