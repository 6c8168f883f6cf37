import type { ThreadEntity } from '../../posts/thread.entity';
import { trendingRank } from './trending.service';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 10, 12);

const thread = (score: number, commentCount: number, ageHours: number): ThreadEntity =>
  ({ score, commentCount, createdAt: new Date(NOW - ageHours * HOUR) }) as ThreadEntity;

describe('trendingRank', () => {
  it('is (max(score, 0) + 2 · comments + 1) / (ageHours + 2)^1.5', () => {
    expect(trendingRank(thread(5, 2, 2), NOW)).toBeCloseTo(10 / 8, 10);
    expect(trendingRank(thread(0, 0, 0), NOW)).toBeCloseTo(1 / Math.pow(2, 1.5), 10);
  });

  it('weighs a comment as two votes and a downvoted thread as a silent one', () => {
    expect(trendingRank(thread(0, 1, 3), NOW)).toBe(trendingRank(thread(2, 0, 3), NOW));
    expect(trendingRank(thread(-7, 0, 3), NOW)).toBe(trendingRank(thread(0, 0, 3), NOW));
  });

  it('lets a newer thread with the same activity lead, and activity outweigh some age', () => {
    expect(trendingRank(thread(4, 1, 1), NOW)).toBeGreaterThan(trendingRank(thread(4, 1, 10), NOW));
    expect(trendingRank(thread(40, 10, 10), NOW)).toBeGreaterThan(
      trendingRank(thread(1, 0, 1), NOW),
    );
  });

  it('treats a creation time in the future (clock skew) as now', () => {
    expect(trendingRank(thread(3, 0, -1), NOW)).toBe(trendingRank(thread(3, 0, 0), NOW));
  });
});
