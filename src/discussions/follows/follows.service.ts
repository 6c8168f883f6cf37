import { Injectable } from '@nestjs/common';
import { BookmarksService } from '../../identity/bookmarks/bookmarks.service';
import { AuthorSealService } from '../../identity/sealing/author-seal.service';
import type { Principal } from '../../infrastructure/auth/principal';
import { flushErasure } from '../../infrastructure/database/erasure';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { pageSize, withLazyCursor } from '../../common/opaque-cursor';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../common/opaque-cursor';
import { CursorCipher } from '../../infrastructure/crypto/cursor-cipher';
import { ThreadFollowsRepository } from '../../posts/thread-follows.repository';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ContentAccess } from '../access/content-access.service';
import { ContentNotFoundException } from '../discussions.exception';
import type { FeedPage } from '../threads/threads.service';
import { ThreadsService } from '../threads/threads.service';
import { FollowTokens } from './follow-tokens';

/** Bookmarks read per step of a page, when some are skipped (no longer readable). */
const BOOKMARK_STEP = 100;

type BookmarkCursor = [threadId: string, position: number];

const isBookmarkCursor = (parts: unknown[]): parts is BookmarkCursor =>
  parts.length === 2 &&
  typeof parts[0] === 'string' &&
  Number.isInteger(parts[1]) &&
  (parts[1] as number) >= 0;

/**
 * Following and bookmarking threads (docs/discussions.md, "Follows, bookmarks and
 * notifications"). Both need the thread to be readable (the access policy's READ; NOT_FOUND
 * otherwise, as everywhere) and are idempotent. Follows live in the content store by keyed
 * token (ThreadFollowEntity); bookmarks in one sealed record per account in the identity
 * store (BookmarksService).
 */
@Injectable()
export class FollowsService {
  constructor(
    private readonly follows: ThreadFollowsRepository,
    private readonly tokens: FollowTokens,
    private readonly seals: AuthorSealService,
    private readonly bookmarks: BookmarksService,
    private readonly threadRows: ThreadsRepository,
    private readonly threads: ThreadsService,
    private readonly access: ContentAccess,
    private readonly transactions: TransactionRunner,
    private readonly cursors: CursorCipher,
  ) {}

  /** Follows (or unfollows) the thread; returns it as the viewer sees it. */
  async follow(
    principal: Principal,
    id: string,
    follow: boolean,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity> {
    const thread = await this.visible(principal, id, jurisdictions);
    const followToken = this.tokens.of(principal, thread.id);
    if (follow) {
      const sealedRef = await this.seals.sealFor(principal.accountId);
      await this.transactions.run(CONTENT_STORE, (manager) =>
        this.follows.add(manager, { followToken, threadId: thread.id, sealedRef }),
      );
    } else {
      await this.transactions.run(CONTENT_STORE, (manager) =>
        this.follows.remove(manager, followToken),
      );
      // The row is gone from the file too (SQLite: zeroed, and out of the WAL).
      await flushErasure(this.transactions.dataSource(CONTENT_STORE));
    }
    return thread;
  }

  /** Whether the viewer follows each thread (one query). */
  async followed(principal: Principal, threadIds: readonly string[]): Promise<boolean[]> {
    const tokens = threadIds.map((id) => this.tokens.of(principal, id));
    const found = await this.follows.existing(tokens);
    return tokens.map((token) => found.has(token));
  }

  /** Bookmarks (or un-bookmarks) the thread; returns it as the viewer sees it. */
  async bookmark(
    principal: Principal,
    id: string,
    bookmark: boolean,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity> {
    const thread = await this.visible(principal, id, jurisdictions);
    await this.bookmarks.set(principal.accountId, thread.id, bookmark, async (ids) => {
      const found = await this.readableThreads(principal, ids, jurisdictions);
      return new Set(found.map((t) => t.id));
    });
    return thread;
  }

  /** The viewer's bookmarked thread ids (the sealed record, read once). */
  bookmarkedIds(principal: Principal): Promise<string[]> {
    return this.bookmarks.list(principal.accountId);
  }

  /**
   * A page of the viewer's bookmarks, newest first. Bookmarks of threads the viewer can no
   * longer read (or that are gone) are skipped, so a page may hold fewer than `first`.
   */
  async bookmarkPage(
    principal: Principal,
    first: number,
    after: string | null | undefined,
    jurisdictions: readonly string[],
  ): Promise<FeedPage> {
    const limit = pageSize(first);
    const list = `bookmarks:${principal.accountId}`;
    const ids = await this.bookmarks.list(principal.accountId);
    let start = 0;
    if (after !== null && after !== undefined) {
      const [threadId, position] = decodeOpaqueCursor(
        this.cursors,
        list,
        after,
        isBookmarkCursor,
        'after is not a cursor of this list.',
      );
      const at = ids.indexOf(threadId);
      start = at >= 0 ? at + 1 : Math.min(position, ids.length);
    }
    const found: Array<{ thread: ThreadEntity; position: number }> = [];
    for (let from = start; from < ids.length && found.length <= limit; from += BOOKMARK_STEP) {
      const slice = ids.slice(from, from + BOOKMARK_STEP);
      const readable = new Map(
        (await this.readableThreads(principal, slice, jurisdictions)).map((thread) => [
          thread.id,
          thread,
        ]),
      );
      slice.forEach((threadId, i) => {
        const thread = readable.get(threadId);
        if (thread !== undefined) found.push({ thread, position: from + i });
      });
    }
    const page = found.slice(0, limit);
    const counted = await this.threads.withVisibleCounts(
      page.map((item) => item.thread),
      jurisdictions,
    );
    return {
      hasNextPage: found.length > limit,
      items: page.map((item, i) =>
        withLazyCursor({ thread: counted[i] }, () =>
          encodeOpaqueCursor(this.cursors, list, [item.thread.id, item.position]),
        ),
      ),
    };
  }

  /** The threads among `ids` that the viewer may read, in no particular order. */
  private async readableThreads(
    principal: Principal,
    ids: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    const rows = await this.threadRows.findByIds(ids);
    const readable = await this.access.readable(
      rows.map((thread) => ({ thread })),
      { principal, jurisdictions },
    );
    return rows.filter((_, i) => readable[i]);
  }

  /** The thread as the viewer sees it (READ through the access policy), or NOT_FOUND. */
  private async visible(
    principal: Principal,
    id: string,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity> {
    const thread = await this.threads.visible(id, principal, jurisdictions);
    if (thread === null) throw new ContentNotFoundException('thread');
    return thread;
  }
}
