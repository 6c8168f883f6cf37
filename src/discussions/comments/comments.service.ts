import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BoardPostingForbiddenException } from '../../boards/boards.exception';
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
import { clientMutationId, COMMENT_BODY_MAX, postText } from '../post-text';
import type { ThreadEntity } from '../threads/thread.entity';
import { ThreadsRepository } from '../threads/threads.repository';
import { ThreadsService } from '../threads/threads.service';
import { PUB_SUB, type PubSubEngine } from '../../infrastructure/events/pub-sub.module';
import { commentAddedTopic, type CommentAddedEvent } from './comment-events';
import type { CommentEntity } from './comment.entity';
import type { CreateCommentInput } from './comment.model';
import { CommentsRepository } from './comments.repository';

const ORDER = 'OLDEST';

export interface CreatedComment {
  comment: CommentEntity;
  thread: ThreadEntity;
  labelNotice: string | null;
}

export interface CommentPage {
  items: Array<{ cursor: string; comment: CommentEntity }>;
  hasNextPage: boolean;
}

/** Comments and one level of replies; the thread's comment count is kept in the same transaction. */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly threadRows: ThreadsRepository,
    private readonly threads: ThreadsService,
    private readonly boards: BoardsService,
    private readonly authors: AuthorIdentityService,
    private readonly transactions: TransactionRunner,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
  ) {}

  async create(principal: Principal, input: CreateCommentInput): Promise<CreatedComment> {
    const body = postText(input.body, 'body', COMMENT_BODY_MAX);
    const mutationId = clientMutationId(input.clientMutationId);
    const { thread, board } = await this.threads.liveReadable(input.threadId, principal);
    if (!(await this.boards.canPost(board, principal))) {
      throw new BoardPostingForbiddenException();
    }
    const parentId = input.parentId ?? null;
    if (parentId !== null) {
      const parent = await this.comments.findById(parentId);
      if (
        parent === null ||
        parent.threadId !== thread.id ||
        parent.parentId !== null ||
        parent.status !== ContentStatus.PUBLISHED
      ) {
        throw new InvalidContentException(
          'Reply to a published top-level comment of the same thread (replies are one level deep).',
          'parentId',
        );
      }
    }
    const key = mutationId === null ? null : this.authors.idempotencyKey(principal, mutationId);
    const author = await this.authors.forPost(
      principal,
      board,
      thread.id,
      input.disclosure ?? EmployerDisclosure.NONE,
    );
    const comment: CommentEntity = {
      ...newPostColumns(randomUUID(), body, author, key),
      threadId: thread.id,
      parentId,
    };
    const { stored, created } = await insertPostOnce(
      this.transactions,
      comment,
      (k, manager) => this.comments.findByIdempotencyKey(k, manager),
      async (manager) => {
        await this.comments.insert(manager, comment);
        await this.threadRows.addToCommentCount(manager, thread.id, 1);
      },
    );
    if (created) {
      const event: CommentAddedEvent = {
        commentAdded: stored,
        threadAuthorToken: thread.authorToken,
      };
      await this.pubSub.publish(commentAddedTopic(thread.id), event);
    }
    return { comment: stored, thread, labelNotice: author.labelNotice };
  }

  async edit(
    principal: Principal,
    id: string,
    rawBody: string,
  ): Promise<{ comment: CommentEntity; thread: ThreadEntity }> {
    const body = postText(rawBody, 'body', COMMENT_BODY_MAX);
    const { comment, thread } = await this.ownLiveComment(principal, id);
    const editedAt = new Date();
    await this.transactions.run(CONTENT_STORE, (manager) =>
      this.comments.update(manager, comment.id, { body, editedAt }),
    );
    return { comment: { ...comment, body, editedAt }, thread };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const { comment } = await this.ownLiveComment(principal, id);
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      const current = await this.comments.lock(manager, comment.id);
      if (current?.status !== ContentStatus.PUBLISHED) return; // a concurrent delete won
      await this.comments.update(manager, comment.id, { status: ContentStatus.DELETED });
      await this.threadRows.addToCommentCount(manager, comment.threadId, -1);
    });
  }

  /** A page of the thread's comments, oldest first (the caller has checked the thread is readable). */
  async page(
    threadId: string,
    first: number,
    after: string | null | undefined,
  ): Promise<CommentPage> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, ORDER);
    const rows = await this.comments.findThreadPage(threadId, cursor, limit);
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((comment) => ({
        comment,
        cursor: encodeCursor({ order: ORDER, key: comment.createdAt.getTime(), id: comment.id }),
      })),
    };
  }

  isViewer(principal: Principal | undefined, comment: CommentEntity): boolean {
    return (
      principal !== undefined &&
      this.authors.authorToken(principal, comment.threadId) === comment.authorToken
    );
  }

  private async ownLiveComment(
    principal: Principal,
    id: string,
  ): Promise<{ comment: CommentEntity; thread: ThreadEntity }> {
    const comment = await this.comments.findById(id);
    const thread =
      comment === null || comment.status !== ContentStatus.PUBLISHED
        ? null
        : await this.threads.readable(comment.threadId, principal);
    if (comment === null || thread === null) throw new ContentNotFoundException('comment');
    if (!this.isViewer(principal, comment)) throw new NotTheAuthorException();
    return { comment, thread };
  }
}
