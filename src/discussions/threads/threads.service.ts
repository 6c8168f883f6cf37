import { randomUUID } from 'node:crypto';
import { ThreadOrder, TOP_WINDOW_MS, TopWindow } from '../../posts/thread-order';
import { Injectable } from '@nestjs/common';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import { EmployerDisclosure } from '../../identity/pseudonyms/employer-label';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ContentPolicy, publicNotice } from '../../compliance/enforcement/content-policy.service';
import type { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { SanctionsService } from '../../identity/moderation/sanctions.service';
import { ContentAccess } from '../access/content-access.service';
import { ContentAccessPolicy, ContentAction } from '../access/content-access.policy';
import { AuthorIdentityService } from '../author-identity.service';
import { OwnPostSlots } from '../own-posts/own-post-slots.service';
import { ContentStatus, ERASED_THREAD } from '../../posts/content-status';
import { flushErasure } from '../../infrastructure/database/erasure';
import { insertPostOnce, newPostColumns } from '../../posts/post-columns';
import { pageSize } from '../../common/opaque-cursor';
import { type Cursor, decodeCursor, encodeCursor, feedList, HOME_LIST } from '../../posts/cursor';
import { CursorCipher } from '../../infrastructure/crypto/cursor-cipher';
import {
  ContentNotFoundException,
  InvalidContentException,
  NotTheAuthorException,
} from '../discussions.exception';
import { clientMutationId, postText, THREAD_BODY_MAX, TITLE_MAX } from '../post-text';
import { hotRank } from './hot-rank';
import type { ThreadEntity } from '../../posts/thread.entity';
import { type CreateThreadInput } from './thread.model';
import { threadSortKey, ThreadsRepository } from '../../posts/threads.repository';
import { PollsRepository } from '../../posts/polls.repository';
import { newPoll } from '../polls/poll-input';
import { PollsService } from '../polls/polls.service';
import { FeedPageCache, type SliceKey } from './feed-page-cache';
import { MemberAnswers } from '../../infrastructure/graphql/member-answers';
import { removeThreadSearch, writeThreadSearch } from '../../posts/thread-search.index';

/** At most this many withheld threads of a feed page's stretch are looked at for the viewer's own. */
const OWN_WITHHELD_SCAN = 200;

/** Where a feed page starts and how much of it is read. */
interface FeedStretch {
  order: ThreadOrder;
  cursor: Cursor | null;
  limit: number;
  /** Only threads created at or after this instant (TOP windows); null: the whole feed. */
  since: Date | null;
}

/** Feed order: sort key descending, then id descending (as the keyset queries walk). */
function byFeedOrder(order: ThreadOrder): (a: ThreadEntity, b: ThreadEntity) => number {
  const key = (thread: ThreadEntity) => threadSortKey(thread, order);
  return (a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export interface CreatedThread {
  thread: ThreadEntity;
  labelNotice: string | null;
  /** What compliance rules did to it (for its author). */
  notices: ComplianceNotice[];
}

export interface FeedPage {
  items: Array<{ readonly cursor: string; thread: ThreadEntity }>;
  hasNextPage: boolean;
}

/**
 * A feed page's row with its cursor sealed only when read (a client paging by `endCursor` reads
 * one a page). A class with a getter rather than a property defined per object, which would
 * cost a `defineProperty` per row on every page.
 */
class FeedItem {
  constructor(
    readonly thread: ThreadEntity,
    private readonly list: string,
    private readonly order: ThreadOrder,
    private readonly service: ThreadsService,
  ) {}

  get cursor(): string {
    return this.service.sealedCursor(this.thread, this.list, this.order);
  }
}

/** Threads: create (idempotent), read with the board's access policy, edit and delete by the author, feeds. */
@Injectable()
export class ThreadsService {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly boards: BoardsService,
    private readonly authors: AuthorIdentityService,
    private readonly transactions: TransactionRunner,
    private readonly policy: ContentPolicy,
    private readonly sanctions: SanctionsService,
    private readonly access: ContentAccess,
    private readonly cursors: CursorCipher,
    private readonly ownPosts: OwnPostSlots,
    private readonly polls: PollsService,
    private readonly pollRows: PollsRepository,
    private readonly pages: FeedPageCache,
    private readonly answers: MemberAnswers,
  ) {}

  /** Sealed cursors per feed row object, then per list and order (see `sealedCursor`). */
  private readonly sealedCursors = new WeakMap<ThreadEntity, Map<string, string>>();

  async create(principal: Principal, input: CreateThreadInput): Promise<CreatedThread> {
    await this.sanctions.assertMayPost(principal.accountId);
    const title = postText(input.title, 'title', TITLE_MAX);
    const body = postText(input.body, 'body', THREAD_BODY_MAX);
    const poll =
      input.poll === undefined || input.poll === null ? null : newPoll(input.poll, new Date());
    const mutationId = clientMutationId(input.clientMutationId);
    const board = await this.boards.postableById(input.boardId, principal);
    const key =
      mutationId === null
        ? null
        : this.authors.idempotencyKey(
            principal,
            { kind: 'createThread', boardId: board.id },
            mutationId,
          );
    const id = randomUUID();
    const author = await this.authors.forPost(
      principal,
      board,
      id,
      input.disclosure ?? EmployerDisclosure.NONE,
    );
    // A poll is judged with the thread: a rule that blocks or holds its text does so to the thread.
    const judgement = await this.policy.judge({
      title,
      body,
      extras: poll === null ? undefined : [poll.question, ...poll.options],
      board,
      authorJurisdiction: principal.jurisdiction,
    });
    const createdAt = new Date();
    const post = { id, kind: 'THREAD' as const, threadId: id };
    const { stored, created } = await insertPostOnce(
      this.transactions,
      key,
      (k, manager) => this.threads.findByIdempotencyKey(k, manager),
      async (manager) => {
        const handle = await this.authors.claimHandle(manager, principal, id, author.token);
        const thread: ThreadEntity = {
          ...newPostColumns(id, judgement.body, author, handle, key, createdAt),
          status: judgement.held ? ContentStatus.HELD : ContentStatus.PUBLISHED,
          boardId: board.id,
          title: judgement.title ?? title,
          commentCount: 0,
          hotRank: hotRank(0, createdAt),
        };
        await this.threads.insert(manager, thread);
        if (poll !== null) {
          const [question, ...options] = judgement.extras;
          await this.polls.create(manager, id, { ...poll, question, options });
        }
        await writeThreadSearch(manager, id, thread.title, thread.body);
        await this.ownPosts.claim(manager, principal, 'thread', id);
        await this.policy.record(manager, post, judgement, { replacing: false });
        await this.policy.requestReview(manager, post, judgement);
        return thread;
      },
      { boards: [board.id], threads: [id] },
    );
    if (!created) {
      const notices = (await this.policy.noticesOf([stored.id])).get(stored.id) ?? [];
      return { thread: stored, labelNotice: author.labelNotice, notices };
    }
    return {
      thread: stored,
      labelNotice: author.labelNotice,
      notices: judgement.notices.map(publicNotice),
    };
  }

  /**
   * What `thread(id)` shows: a readable thread, unless it is withheld in the viewer's
   * jurisdictions or not public (held, rejected, removed) — its author still sees it, and so
   * do moderators and compliance officers. Its comment count leaves out comments withheld
   * for the viewer.
   */
  async visible(
    id: string,
    principal: Principal | undefined,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity | null> {
    const thread = await this.threads.findById(id);
    if (thread === null || !(await this.mayView(thread, principal, jurisdictions))) return null;
    const [counted] = await this.withVisibleCounts([thread], jurisdictions);
    return counted;
  }

  /**
   * When a member's answer is being computed to be shared (MemberAnswers), records what its
   * `thread(id)` (`shown`, as `visible` answered it) needs of a later reader of the same scope
   * to be theirs: writes to the thread drop it; a thread this reader does not see is not seen
   * by any other but its author (who sees it whatever its status); a thread this reader wrote
   * is shared only where others see it too (public, not withheld here). A thread seen by a
   * reader who did not write it is public here: every reader of the scope sees it.
   */
  async recordThreadRead(
    principal: Principal | undefined,
    id: string,
    shown: ThreadEntity | null,
    jurisdictions: readonly string[],
  ): Promise<void> {
    if (!this.answers.isRecording(principal)) return;
    this.answers.readsFrom(principal, { page: id });
    if (shown === null) {
      const row = await this.threads.findById(id);
      if (row !== null)
        this.answers.dependsOnViewer(principal, (viewer) => !this.isViewer(viewer, row));
      return;
    }
    if (!this.isViewer(principal, shown)) return;
    const withheld = await this.policy.withheld([id], jurisdictions);
    if (!ContentAccessPolicy.threadSeenByOthers(shown.status, withheld.has(id)))
      this.answers.dependsOnViewer(principal, () => false);
  }

  /**
   * Whether the viewer may see this thread, wherever it is reached from (`thread(id)`, a
   * comment's `thread`): ContentAccessPolicy's READ.
   */
  async mayView(
    thread: ThreadEntity,
    principal: Principal | undefined,
    jurisdictions: readonly string[],
  ): Promise<boolean> {
    const { refusal } = await this.access.check(
      ContentAction.READ,
      { thread },
      { principal, jurisdictions },
    );
    return refusal === null;
  }

  /** The threads with comment counts that leave out comments withheld in `jurisdictions`. */
  async withVisibleCounts(
    threads: ThreadEntity[],
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    const withheld = await this.policy.withheldComments(
      threads.map((t) => t.id),
      jurisdictions,
    );
    if (withheld.size === 0) return threads;
    return threads.map((t) => ({
      ...t,
      commentCount: Math.max(0, t.commentCount - (withheld.get(t.id) ?? 0)),
    }));
  }

  async edit(
    principal: Principal,
    id: string,
    title: string | null | undefined,
    body: string | null | undefined,
  ): Promise<{ thread: ThreadEntity; notices: ComplianceNotice[] }> {
    const { thread, board } = await this.ownThread(principal, id, ContentAction.EDIT);
    if ((title === null || title === undefined) && (body === null || body === undefined)) {
      throw new InvalidContentException('Give a new title, a new body or both.', 'title');
    }
    const changes = {
      ...(title === null || title === undefined
        ? {}
        : { title: postText(title, 'title', TITLE_MAX) }),
      ...(body === null || body === undefined
        ? {}
        : { body: postText(body, 'body', THREAD_BODY_MAX) }),
    };
    const judgement = await this.policy.judge({
      title: changes.title ?? thread.title,
      body: changes.body ?? thread.body,
      board,
      authorJurisdiction: principal.jurisdiction,
    });
    const post = { id: thread.id, kind: 'THREAD' as const, threadId: thread.id };
    const edited = await this.transactions.run(CONTENT_STORE, async (manager) => {
      // The status as it is now, not as read above: a delete (or a moderator's decision) made
      // meanwhile must not be undone by the edit.
      const current = await this.threads.lock(manager, thread.id);
      if (current === null || current.status === ContentStatus.DELETED) {
        throw new ContentNotFoundException('thread');
      }
      const judged = {
        title: judgement.title ?? thread.title,
        body: judgement.body,
        // An edit a rule holds goes back to review; a held thread stays held until approved.
        status: judgement.held ? ContentStatus.HELD : current.status,
      };
      const editedAt = new Date();
      await this.threads.update(manager, thread.id, { ...judged, editedAt });
      await writeThreadSearch(manager, thread.id, judged.title, judged.body);
      await this.policy.record(manager, post, judgement, { replacing: true });
      await this.policy.requestReview(manager, post, judgement);
      return { ...current, ...judged, editedAt };
    });
    return { thread: edited, notices: judgement.notices.map(publicNotice) };
  }

  /**
   * The thread stays, as DELETED, and its text is erased from the store in the same statement:
   * the API showed a deleted thread empty, and the row now holds nothing more. Its poll, if
   * any, and its search index row are deleted in the same transaction.
   */
  async delete(principal: Principal, id: string): Promise<void> {
    const { thread } = await this.ownThread(principal, id, ContentAction.DELETE);
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      await this.threads.update(manager, thread.id, {
        status: ContentStatus.DELETED,
        ...ERASED_THREAD,
      });
      // Its poll goes with its text: question, options, counts and votes.
      await this.pollRows.deleteOfThread(manager, thread.id);
      await removeThreadSearch(manager, thread.id);
    });
    // secure_delete zeroes the old text in the file; the checkpoint clears it from the WAL.
    await flushErasure(this.transactions.dataSource(CONTENT_STORE));
  }

  /** A page of the board's feed; null when the viewer may not read the board. */
  async feed(
    boardId: string,
    principal: Principal | undefined,
    first: number,
    after: string | null | undefined,
    order: ThreadOrder,
    window: TopWindow,
    /** The viewer's jurisdictions: threads withheld there are left out. */
    jurisdictions: readonly string[],
  ): Promise<FeedPage | null> {
    const limit = pageSize(first);
    const cursor = decodeCursor(this.cursors, feedList(boardId), after, order);
    const board = await this.boards.byId(boardId);
    if (board === null || !(await this.boards.canRead(board, principal))) return null;
    const span = order === ThreadOrder.TOP ? TOP_WINDOW_MS[window] : null;
    const since = span === null ? null : new Date(Date.now() - span);
    const page = await this.boardSlice(
      board.id,
      principal,
      { order, cursor, limit, since },
      jurisdictions,
    );
    return this.feedPage(page, feedList(boardId), order, limit);
  }

  /**
   * A page of the home feed: the threads of every board the viewer reads (BoardsService's
   * readableBoards, decided by BoardAccessPolicy), in one order. Each board's feed is entered
   * at the cursor by its own index (as `feed` does) for `first + 1` rows, and the slices are
   * merged: a page costs (boards × first) index rows at any depth.
   */
  async home(
    principal: Principal | undefined,
    first: number,
    after: string | null | undefined,
    order: ThreadOrder,
    jurisdictions: readonly string[],
  ): Promise<FeedPage> {
    const limit = pageSize(first);
    const cursor = decodeCursor(this.cursors, HOME_LIST, after, order);
    const boards = await this.boards.readableBoards(principal);
    const page = { order, cursor, limit, since: null };
    const slices = await Promise.all(
      boards.map((board) => this.boardSlice(board.id, principal, page, jurisdictions)),
    );
    const merged = slices
      .flat()
      .sort(byFeedOrder(order))
      .slice(0, limit + 1);
    return this.feedPage(merged, HOME_LIST, order, limit);
  }

  /**
   * One board's published threads from the cursor on (up to limit + 1, plus the viewer's own
   * withheld), with visible comment counts.
   */
  private async boardSlice(
    boardId: string,
    principal: Principal | undefined,
    page: FeedStretch,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    const { order, cursor, limit, since } = page;
    const found = await this.sharedSlice('published', boardId, page, jurisdictions, () =>
      this.threads.findFeedPage(boardId, order, cursor, limit, since, jurisdictions),
    );
    return this.withOwnWithheld(found, boardId, principal, page, jurisdictions);
  }

  /**
   * Rows of a feed stretch with visible comment counts, from FeedPageCache (shared by every
   * reader of the jurisdictions) for whole-feed pages; TOP windows move with the clock and
   * are read each time.
   */
  private sharedSlice(
    part: 'published' | 'withheld',
    boardId: string,
    page: FeedStretch,
    jurisdictions: readonly string[],
    find: () => Promise<ThreadEntity[]>,
  ): Promise<ThreadEntity[]> {
    const compute = async () => this.withVisibleCounts(await find(), jurisdictions);
    if (page.since !== null) return compute();
    const { order, cursor, limit } = page;
    const slice: SliceKey = { boardId, jurisdictions, order, cursor, limit };
    return this.pages.shared(part, slice, compute);
  }

  /** The page's first `limit` rows (comment counts already corrected) with their cursors of `list`, sealed when first read. */
  private feedPage(
    rows: ThreadEntity[],
    list: string,
    order: ThreadOrder,
    limit: number,
  ): FeedPage {
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((thread) => new FeedItem(thread, list, order, this)),
    };
  }

  /**
   * The sealed cursor of `thread` in `list` and `order`, sealed once per row object: the rows of
   * a kept page (FeedPageCache) are the same objects for every reader while kept, so its readers
   * get the same cursor string, as the visitor cache's readers get the same answer; other rows
   * are fresh objects per request and get their own.
   */
  sealedCursor(thread: ThreadEntity, list: string, order: ThreadOrder): string {
    let byList = this.sealedCursors.get(thread);
    if (byList === undefined) this.sealedCursors.set(thread, (byList = new Map<string, string>()));
    const kind = `${list}:${order}`;
    let sealed = byList.get(kind);
    if (sealed === undefined) {
      const at = { order, key: threadSortKey(thread, order), id: thread.id };
      byList.set(kind, (sealed = encodeCursor(this.cursors, list, at)));
    }
    return sealed;
  }

  /**
   * A member's own threads withheld in their jurisdictions, put back into their feed page where
   * they belong: the page's rows plus the viewer's withheld threads in the same stretch of the
   * feed (from the cursor through the page's last row), in feed order.
   */
  private async withOwnWithheld(
    rows: ThreadEntity[],
    boardId: string,
    principal: Principal | undefined,
    page: FeedStretch,
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    if (principal === undefined || jurisdictions.length === 0) return rows;
    const { order, cursor, limit, since } = page;
    const last = rows.length > limit ? rows[limit - 1] : null;
    const through = last === null ? null : { order, key: threadSortKey(last, order), id: last.id };
    // The stretch's withheld threads are the same for every reader of the jurisdictions (the
    // stretch follows from the shared rows); only which of them are the viewer's is per viewer.
    const withheld = await this.sharedSlice('withheld', boardId, page, jurisdictions, () =>
      this.threads.findWithheldBetween(
        boardId,
        order,
        cursor,
        through,
        since,
        jurisdictions,
        OWN_WITHHELD_SCAN,
      ),
    );
    // A member's answer shared with others (MemberAnswers) must not be a page with their own.
    if (withheld.length > 0)
      this.answers.dependsOnViewer(principal, (viewer) =>
        withheld.every((thread) => !this.isViewer(viewer, thread)),
      );
    const own = withheld.filter((thread) => this.isViewer(principal, thread));
    if (own.length === 0) return rows;
    return [...rows, ...own].sort(byFeedOrder(order));
  }

  isViewer(principal: Principal | undefined, thread: ThreadEntity): boolean {
    return this.access.wroteThread(principal, thread);
  }

  /** The thread and its board, if the principal may edit or delete it (EDIT also needs the right to post). */
  private async ownThread(
    principal: Principal,
    id: string,
    action: ContentAction.EDIT | ContentAction.DELETE,
  ): Promise<{ thread: ThreadEntity; board: BoardEntity }> {
    const thread = await this.threads.findById(id);
    if (thread === null) throw new ContentNotFoundException('thread');
    const board = await this.access.assert(
      action,
      { thread },
      { principal, jurisdictions: this.policy.viewerJurisdictions(principal, undefined) },
      {
        notFound: () => new ContentNotFoundException('thread'),
        refused: () => new NotTheAuthorException(),
      },
    );
    return { thread, board };
  }
}
