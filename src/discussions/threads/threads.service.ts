import { randomUUID } from 'node:crypto';
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
import { AuthorIdentityService } from '../author-identity.service';
import { ContentStatus } from '../content-status';
import { insertPostOnce, newPostColumns } from '../post-columns';
import { type Cursor, decodeCursor, encodeCursor, pageSize } from '../cursor';
import {
  ContentNotFoundException,
  InvalidContentException,
  NotTheAuthorException,
} from '../discussions.exception';
import { clientMutationId, postText, THREAD_BODY_MAX, TITLE_MAX } from '../post-text';
import { hotRank } from './hot-rank';
import type { ThreadEntity } from './thread.entity';
import { type CreateThreadInput, ThreadOrder, TOP_WINDOW_MS, TopWindow } from './thread.model';
import { threadSortKey, ThreadsRepository } from './threads.repository';

/** At most this many withheld threads of a feed page's stretch are looked at for the viewer's own. */
const OWN_WITHHELD_SCAN = 200;

export interface CreatedThread {
  thread: ThreadEntity;
  labelNotice: string | null;
  /** What compliance rules did to it (for its author). */
  notices: ComplianceNotice[];
}

export interface FeedPage {
  items: Array<{ cursor: string; thread: ThreadEntity }>;
  hasNextPage: boolean;
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
  ) {}

  async create(principal: Principal, input: CreateThreadInput): Promise<CreatedThread> {
    await this.sanctions.assertMayPost(principal.accountId);
    const title = postText(input.title, 'title', TITLE_MAX);
    const body = postText(input.body, 'body', THREAD_BODY_MAX);
    const mutationId = clientMutationId(input.clientMutationId);
    const board = await this.boards.postableById(input.boardId, principal);
    const key = mutationId === null ? null : this.authors.idempotencyKey(principal, mutationId);
    const id = randomUUID();
    const author = await this.authors.forPost(
      principal,
      board,
      id,
      input.disclosure ?? EmployerDisclosure.NONE,
    );
    const judgement = await this.policy.judge({
      title,
      body,
      board,
      authorJurisdiction: principal.jurisdiction,
    });
    const createdAt = new Date();
    const thread: ThreadEntity = {
      ...newPostColumns(id, judgement.body, author, key, createdAt),
      status: judgement.held ? ContentStatus.HELD : ContentStatus.PUBLISHED,
      boardId: board.id,
      title: judgement.title ?? title,
      commentCount: 0,
      hotRank: hotRank(0, createdAt),
    };
    const post = { id, kind: 'THREAD' as const, threadId: id };
    const { stored, created } = await insertPostOnce(
      this.transactions,
      thread,
      (k, manager) => this.threads.findByIdempotencyKey(k, manager),
      async (manager) => {
        await this.threads.insert(manager, thread);
        await this.policy.record(manager, post, judgement);
        await this.policy.requestReview(manager, post, judgement);
      },
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

  /** The thread if it exists and the viewer may read its board; null otherwise. */
  async readable(id: string, principal: Principal | undefined): Promise<ThreadEntity | null> {
    const thread = await this.threads.findById(id);
    if (thread === null) return null;
    const board = await this.boards.byId(thread.boardId);
    return board !== null && (await this.boards.canRead(board, principal)) ? thread : null;
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
   * Whether the viewer may see this thread, wherever it is reached from (`thread(id)`, a
   * comment's `thread`): its board is readable, and unless the viewer wrote it or is staff,
   * it is public (not held, rejected or removed) and not withheld in their jurisdictions.
   */
  async mayView(
    thread: ThreadEntity,
    principal: Principal | undefined,
    jurisdictions: readonly string[],
  ): Promise<boolean> {
    const board = await this.boards.byId(thread.boardId);
    if (board === null || !(await this.boards.canRead(board, principal))) return false;
    if (this.isViewer(principal, thread) || this.policy.seesNoticesOfOthers(principal)) return true;
    if (
      thread.status === ContentStatus.HELD ||
      thread.status === ContentStatus.REJECTED ||
      thread.status === ContentStatus.REMOVED
    )
      return false;
    return (await this.policy.withheld([thread.id], jurisdictions)).size === 0;
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
    await this.sanctions.assertMayPost(principal.accountId);
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
    const thread = await this.ownLiveThread(principal, id);
    const board = await this.boards.byId(thread.boardId);
    if (board === null) throw new ContentNotFoundException('thread');
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
      await this.policy.record(manager, post, judgement);
      await this.policy.requestReview(manager, post, judgement);
      return { ...current, ...judged, editedAt };
    });
    return { thread: edited, notices: judgement.notices.map(publicNotice) };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const thread = await this.ownLiveThread(principal, id);
    await this.transactions.run(CONTENT_STORE, (manager) =>
      this.threads.update(manager, thread.id, { status: ContentStatus.DELETED }),
    );
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
    const cursor = decodeCursor(after, order);
    const board = await this.boards.byId(boardId);
    if (board === null || !(await this.boards.canRead(board, principal))) return null;
    const span = order === ThreadOrder.TOP ? TOP_WINDOW_MS[window] : null;
    const since = span === null ? null : new Date(Date.now() - span);
    const found = await this.threads.findFeedPage(
      board.id,
      order,
      cursor,
      limit,
      since,
      jurisdictions,
    );
    const page = await this.withOwnWithheld(
      found,
      board.id,
      principal,
      { order, cursor, limit, since },
      jurisdictions,
    );
    const rows = await this.withVisibleCounts(page, jurisdictions);
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((thread) => ({
        thread,
        cursor: encodeCursor({ order, key: threadSortKey(thread, order), id: thread.id }),
      })),
    };
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
    page: { order: ThreadOrder; cursor: Cursor | null; limit: number; since: Date | null },
    jurisdictions: readonly string[],
  ): Promise<ThreadEntity[]> {
    if (principal === undefined || jurisdictions.length === 0) return rows;
    const { order, cursor, limit, since } = page;
    const last = rows.length > limit ? rows[limit - 1] : null;
    const through = last === null ? null : { order, key: threadSortKey(last, order), id: last.id };
    const withheld = await this.threads.findWithheldBetween(
      boardId,
      order,
      cursor,
      through,
      since,
      jurisdictions,
      OWN_WITHHELD_SCAN,
    );
    const own = withheld.filter((thread) => this.isViewer(principal, thread));
    if (own.length === 0) return rows;
    const key = (thread: ThreadEntity) => threadSortKey(thread, order);
    return [...rows, ...own].sort(
      (a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  }

  isViewer(principal: Principal | undefined, thread: ThreadEntity): boolean {
    return (
      principal !== undefined &&
      this.authors.authorToken(principal, thread.id) === thread.authorToken
    );
  }

  /** The thread, readable, not deleted, written by the principal: else NOT_FOUND / FORBIDDEN. */
  private async ownLiveThread(principal: Principal, id: string): Promise<ThreadEntity> {
    const thread = await this.readable(id, principal);
    if (thread === null || thread.status === ContentStatus.DELETED) {
      throw new ContentNotFoundException('thread');
    }
    if (!this.isViewer(principal, thread)) throw new NotTheAuthorException();
    return thread;
  }

  /**
   * For comments and votes: the thread's board when the thread is live (published), readable,
   * and — unless the principal wrote it — not withheld in their jurisdictions.
   */
  async liveReadable(
    id: string,
    principal: Principal,
    /** The viewer's jurisdictions (by default the account's alone). */
    jurisdictions: readonly string[] = this.policy.viewerJurisdictions(principal, undefined),
  ): Promise<{ thread: ThreadEntity; board: BoardEntity }> {
    const thread = await this.threads.findById(id);
    const board = thread === null ? null : await this.boards.byId(thread.boardId);
    if (
      thread === null ||
      board === null ||
      thread.status !== ContentStatus.PUBLISHED ||
      !(await this.boards.canRead(board, principal)) ||
      (!this.isViewer(principal, thread) &&
        (await this.policy.withheld([thread.id], jurisdictions)).size > 0)
    ) {
      throw new ContentNotFoundException('thread');
    }
    return { thread, board };
  }
}
