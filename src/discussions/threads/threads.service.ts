import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import { EmployerDisclosure } from '../../identity/pseudonyms/employer-label';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AuthorIdentityService } from '../author-identity.service';
import { ContentStatus } from '../content-status';
import { insertPostOnce, newPostColumns } from '../post-columns';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
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

export interface CreatedThread {
  thread: ThreadEntity;
  labelNotice: string | null;
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
  ) {}

  async create(principal: Principal, input: CreateThreadInput): Promise<CreatedThread> {
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
    const createdAt = new Date();
    const thread: ThreadEntity = {
      ...newPostColumns(id, body, author, key, createdAt),
      boardId: board.id,
      title,
      commentCount: 0,
      hotRank: hotRank(0, createdAt),
    };
    const { stored } = await insertPostOnce(
      this.transactions,
      thread,
      (k, manager) => this.threads.findByIdempotencyKey(k, manager),
      (manager) => this.threads.insert(manager, thread),
    );
    return { thread: stored, labelNotice: author.labelNotice };
  }

  /** The thread if it exists and the viewer may read its board; null otherwise. */
  async readable(id: string, principal: Principal | undefined): Promise<ThreadEntity | null> {
    const thread = await this.threads.findById(id);
    if (thread === null) return null;
    const board = await this.boards.byId(thread.boardId);
    return board !== null && (await this.boards.canRead(board, principal)) ? thread : null;
  }

  async edit(
    principal: Principal,
    id: string,
    title: string | null | undefined,
    body: string | null | undefined,
  ): Promise<ThreadEntity> {
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
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const editedAt = new Date();
      await this.threads.update(manager, thread.id, { ...changes, editedAt });
      return { ...thread, ...changes, editedAt };
    });
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
    window: TopWindow = TopWindow.ALL,
  ): Promise<FeedPage | null> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, order);
    const board = await this.boards.byId(boardId);
    if (board === null || !(await this.boards.canRead(board, principal))) return null;
    const span = order === ThreadOrder.TOP ? TOP_WINDOW_MS[window] : null;
    const since = span === null ? null : new Date(Date.now() - span);
    const rows = await this.threads.findFeedPage(board.id, order, cursor, limit, since);
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((thread) => ({
        thread,
        cursor: encodeCursor({ order, key: threadSortKey(thread, order), id: thread.id }),
      })),
    };
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

  /** For comments and votes: the thread's board when the thread is live and readable. */
  async liveReadable(
    id: string,
    principal: Principal,
  ): Promise<{ thread: ThreadEntity; board: BoardEntity }> {
    const thread = await this.threads.findById(id);
    const board = thread === null ? null : await this.boards.byId(thread.boardId);
    if (
      thread === null ||
      board === null ||
      thread.status !== ContentStatus.PUBLISHED ||
      !(await this.boards.canRead(board, principal))
    ) {
      throw new ContentNotFoundException('thread');
    }
    return { thread, board };
  }
}
