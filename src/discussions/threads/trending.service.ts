import { Injectable } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';
import { LRUCache } from 'lru-cache';
import { BoardsService } from '../../boards/boards.service';
import { BadUserInputException } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import type { ThreadEntity } from '../../posts/thread.entity';
import { DAY_AND_WEEK, TOP_WINDOW_MS, TopWindow } from '../../posts/thread-order';
import { ThreadsRepository } from '../../posts/threads.repository';

export enum TrendingWindow {
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(TrendingWindow, {
  name: 'TrendingWindow',
  description: 'How far back `trending` looks.',
  valuesMap: DAY_AND_WEEK,
});

/** The windows' spans: those of TOP's windows of the same names. */
const WINDOW_MS: Record<TrendingWindow, number> = {
  [TrendingWindow.DAY]: TOP_WINDOW_MS[TopWindow.DAY]!,
  [TrendingWindow.WEEK]: TOP_WINDOW_MS[TopWindow.WEEK]!,
};

/** The most threads `trending` returns. */
export const TRENDING_MAX = 50;
/** How long a ranking is kept per (jurisdictions, window) before it is computed again. */
export const TRENDING_TTL_MS = 60_000;
/** The newest threads of a window looked at when ranking (bounds the work of a refresh). */
const CANDIDATES = 2_000;
/** Ids kept per ranking: room for threads removed or withheld since it was computed. */
const KEPT = TRENDING_MAX * 2;

/**
 * Trending rank (docs/discussions.md "Trending"): activity over age, as Hacker News ranks:
 * (max(score, 0) + 2 · comments + 1) / (ageHours + 2)^1.5.
 */
export function trendingRank(thread: ThreadEntity, now: number): number {
  const ageHours = Math.max(0, now - thread.createdAt.getTime()) / 3_600_000;
  const activity = Math.max(thread.score, 0) + 2 * thread.commentCount + 1;
  return activity / Math.pow(ageHours + 2, 1.5);
}

/**
 * `trending`: the public boards' threads of the window, ranked by `trendingRank`. The ranking
 * (ids only) is kept per (jurisdictions, window) for TRENDING_TTL_MS, so a request reads at
 * most TRENDING_MAX × 2 threads by primary key; those are read again as they are now (still
 * published, not withheld in the viewer's jurisdictions), so a thread removed or withheld
 * meanwhile is left out at once. Nothing is kept per viewer.
 */
@Injectable()
export class TrendingService {
  private readonly rankings = new LRUCache<string, Promise<string[]>>({
    max: 500,
    ttl: TRENDING_TTL_MS,
  });

  constructor(
    private readonly threads: ThreadsRepository,
    private readonly boards: BoardsService,
  ) {}

  async trending(
    principal: Principal | undefined,
    window: TrendingWindow,
    first: number,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    if (!Number.isInteger(first) || first < 1 || first > TRENDING_MAX) {
      throw new BadUserInputException(`first must be between 1 and ${TRENDING_MAX}.`, {
        fields: ['first'],
      });
    }
    const readable = await this.boards.readablePublicBoards(principal);
    if (readable.length === 0) return [];
    const hiddenIn = [...new Set(jurisdictions)].sort();
    const key = `${window}:${hiddenIn.join(',')}`;
    let ranking = this.rankings.get(key);
    if (ranking === undefined) {
      ranking = this.rank(window, hiddenIn);
      this.rankings.set(key, ranking);
      ranking.catch(() => this.rankings.delete(key));
    }
    const ids = await ranking;
    const readableIds = new Set(readable.map((b) => b.id));
    const current = new Map(
      (await this.threads.findPublishedByIds(ids, hiddenIn))
        .filter((t) => readableIds.has(t.boardId))
        .map((t) => [t.id, t]),
    );
    return ids
      .map((id) => current.get(id))
      .filter((t): t is ThreadEntity => t !== undefined)
      .slice(0, first);
  }

  /** The ids of the window's best-ranked public threads not withheld in `hiddenIn`. */
  private async rank(window: TrendingWindow, hiddenIn: readonly string[]): Promise<string[]> {
    const now = Date.now();
    const publicBoards = await this.boards.publicBoards();
    const found = await this.threads.findCreatedSince(
      publicBoards.map((b) => b.id),
      new Date(now - WINDOW_MS[window]),
      hiddenIn,
      CANDIDATES,
    );
    return found
      .map((thread) => ({ id: thread.id, rank: trendingRank(thread, now) }))
      .sort((a, b) => b.rank - a.rank || (a.id < b.id ? 1 : -1))
      .slice(0, KEPT)
      .map((r) => r.id);
  }
}
