import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../infrastructure/config/app-config';
import type { Cursor } from '../../posts/cursor';
import type { ThreadOrder } from '../../posts/thread-order';
import type { ThreadEntity } from '../../posts/thread.entity';
import { touchesFeeds } from '../../infrastructure/database/transaction-runner';
import { ContentWrites } from '../../infrastructure/events/content-writes';

/** Slices kept at most (a slice of 21 rows is a few tens of KB with their bodies). */
const MAX_ENTRIES = 1_000;

/** Where in which feed a slice starts: what every reader of the same page shares. */
export interface SliceKey {
  boardId: string;
  /** The reader's jurisdictions: threads withheld there are left out. */
  jurisdictions: readonly string[];
  order: ThreadOrder;
  cursor: Cursor | null;
  limit: number;
}

/**
 * A short-lived cache of the rows of board feed pages, shared by every reader of a
 * jurisdiction, members included: the same content the visitor cache keeps as whole answers,
 * kept here below the per-viewer parts (board access is decided per request before a slice is
 * asked for; `isViewer`, `viewerVote` and a member's own withheld threads are worked out per
 * request from the shared rows). Nothing in it depends on who asked.
 *
 * - A slice lives FEED_PAGE_CACHE_MS (default 1,000 ms; 0 turns the cache off) and the whole
 *   cache is dropped on every content write that may have changed a board's feed (ContentWrites:
 *   this instance's commits, other instances' announcements; not a vote on a comment, nor the
 *   outbox's bookkeeping, which declare that they touch no feed). A slice is kept from the moment it is asked for, so concurrent
 *   readers of a missing slice share one query, and one asked for before a write is dropped
 *   with the rest (those who asked before the write get what the store held then).
 * - A failed computation is not kept.
 * - The rows are shared between requests: callers copy, never change them.
 */
@Injectable()
export class FeedPageCache {
  private readonly entries: LRUCache<string, Promise<ThreadEntity[]>> | null;

  constructor(config: AppConfig, writes: ContentWrites) {
    this.entries =
      config.FEED_PAGE_CACHE_MS > 0
        ? new LRUCache({ max: MAX_ENTRIES, ttl: config.FEED_PAGE_CACHE_MS, ttlAutopurge: false })
        : null;
    // A write that changed no feed (a vote on a comment changes its thread's page alone, the
    // outbox's bookkeeping nothing shown) leaves the slices; any other drops them all.
    writes.onWrite((touched) => {
      if (touchesFeeds(touched)) this.entries?.clear();
    });
  }

  /** `compute()` for this part of the slice, or what it gave another reader within the cache's life. */
  shared(
    part: 'published' | 'withheld',
    slice: SliceKey,
    compute: () => Promise<ThreadEntity[]>,
  ): Promise<ThreadEntity[]> {
    const entries = this.entries;
    if (entries === null) return compute();
    const key = keyOf(part, slice);
    const found = entries.get(key);
    if (found !== undefined) return found;
    const rows = compute();
    entries.set(key, rows);
    rows.catch(() => {
      if (entries.get(key) === rows) entries.delete(key);
    });
    return rows;
  }
}

function keyOf(part: string, slice: SliceKey): string {
  const { boardId, jurisdictions, order, cursor, limit } = slice;
  return JSON.stringify([
    part,
    boardId,
    [...jurisdictions].sort(),
    order,
    cursor === null ? null : [cursor.key, cursor.id],
    limit,
  ]);
}
