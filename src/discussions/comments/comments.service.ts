import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BoardPostingForbiddenException } from '../../boards/boards.exception';
import type { BoardEntity } from '../../boards/board.entity';
import { EmployerDisclosure } from '../../identity/pseudonyms/employer-label';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ContentPolicy, publicNotice } from '../../compliance/enforcement/content-policy.service';
import type { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { ContentAccess } from '../access/content-access.service';
import { ContentAction } from '../access/content-access.policy';
import { AuthorIdentityService } from '../author-identity.service';
import { OwnPostSlots } from '../own-posts/own-post-slots.service';
import { ThreadActivity } from '../follows/thread-activity.service';
import { ContentStatus, ERASED_COMMENT } from '../../posts/content-status';
import { flushErasure } from '../../infrastructure/database/erasure';
import { insertPostOnce, newPostColumns } from '../../posts/post-columns';
import { pageSize, withLazyCursor } from '../../common/opaque-cursor';
import { commentList, decodeCursor, encodeCursor } from '../../posts/cursor';
import { CursorCipher } from '../../infrastructure/crypto/cursor-cipher';
import {
  ContentNotFoundException,
  InvalidContentException,
  NotTheAuthorException,
} from '../discussions.exception';
import { clientMutationId, COMMENT_BODY_MAX, postText } from '../post-text';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { PUB_SUB, type PubSubEngine } from '../../infrastructure/events/pub-sub.module';
import { commentAddedTopic, type CommentAddedEvent } from './comment-events';
import type { CommentEntity } from '../../posts/comment.entity';
import type { CreateCommentInput } from './comment.model';
import { CommentsRepository } from '../../posts/comments.repository';

const ORDER = 'OLDEST';

export interface CreatedComment {
  comment: CommentEntity;
  thread: ThreadEntity;
  labelNotice: string | null;
  /** What compliance rules did to it (for its author). */
  notices: ComplianceNotice[];
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
    private readonly authors: AuthorIdentityService,
    private readonly transactions: TransactionRunner,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly policy: ContentPolicy,
    private readonly access: ContentAccess,
    private readonly cursors: CursorCipher,
    private readonly ownPosts: OwnPostSlots,
    private readonly activity: ThreadActivity,
  ) {}

  async create(
    principal: Principal,
    input: CreateCommentInput,
    /** The commenter's jurisdictions (ContentPolicy.viewerJurisdictions). */
    jurisdictions: readonly string[] = this.policy.viewerJurisdictions(principal, undefined),
  ): Promise<CreatedComment> {
    const thread = await this.threadRows.findById(input.threadId);
    if (thread === null) throw new ContentNotFoundException('thread');
    const board = await this.access.assert(
      ContentAction.COMMENT,
      { thread },
      { principal, jurisdictions },
      {
        notFound: () => new ContentNotFoundException('thread'),
        refused: () => new BoardPostingForbiddenException(),
      },
    );
    const body = postText(input.body, 'body', COMMENT_BODY_MAX);
    const mutationId = clientMutationId(input.clientMutationId);
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
    const key =
      mutationId === null
        ? null
        : this.authors.idempotencyKey(
            principal,
            { kind: 'createComment', threadId: thread.id, parentId },
            mutationId,
          );
    const author = await this.authors.forPost(
      principal,
      board,
      thread.id,
      input.disclosure ?? EmployerDisclosure.NONE,
    );
    const judgement = await this.policy.judge({
      body,
      board,
      authorJurisdiction: principal.jurisdiction,
    });
    const id = randomUUID();
    const post = { id, kind: 'COMMENT' as const, threadId: thread.id };
    const { stored, created } = await insertPostOnce(
      this.transactions,
      key,
      (k, manager) => this.comments.findByIdempotencyKey(k, manager),
      async (manager) => {
        const handle = await this.authors.claimHandle(manager, principal, thread.id, author.token);
        const comment: CommentEntity = {
          ...newPostColumns(id, judgement.body, author, handle, key),
          status: judgement.held ? ContentStatus.HELD : ContentStatus.PUBLISHED,
          threadId: thread.id,
          parentId,
        };
        await this.comments.insert(manager, comment);
        await this.ownPosts.claim(manager, principal, 'comment', id);
        // Held comments are not counted, nor announced, until a moderator approves them.
        if (!judgement.held) {
          await this.threadRows.addToCommentCount(manager, thread.id, 1);
          await this.activity.published(manager, thread, comment, principal);
        }
        await this.policy.record(manager, post, judgement, { replacing: false });
        await this.policy.requestReview(manager, post, judgement);
        return comment;
      },
      // The thread's page and its comment count (no feed's order: no order counts comments).
      { threads: [thread.id] },
    );
    if (!created) {
      const notices = (await this.policy.noticesOf([stored.id])).get(stored.id) ?? [];
      return { comment: stored, thread, labelNotice: author.labelNotice, notices };
    }
    if (!judgement.held) {
      const event: CommentAddedEvent = {
        commentAdded: stored,
        threadAuthorToken: thread.authorToken,
        withheldIn: judgement.withheldIn,
      };
      await this.pubSub.publish(commentAddedTopic(thread.id), event);
    }
    return {
      comment: stored,
      thread,
      labelNotice: author.labelNotice,
      notices: judgement.notices.map(publicNotice),
    };
  }

  async edit(
    principal: Principal,
    id: string,
    rawBody: string,
  ): Promise<{ comment: CommentEntity; thread: ThreadEntity; notices: ComplianceNotice[] }> {
    const { comment, thread, board } = await this.ownComment(principal, id, ContentAction.EDIT);
    const text = postText(rawBody, 'body', COMMENT_BODY_MAX);
    const judgement = await this.policy.judge({
      body: text,
      board,
      authorJurisdiction: principal.jurisdiction,
    });
    const body = judgement.body;
    // An edit a rule holds takes the comment out of the thread until a moderator approves it.
    const status = judgement.held ? ContentStatus.HELD : comment.status;
    const post = { id: comment.id, kind: 'COMMENT' as const, threadId: comment.threadId };
    const editedAt = new Date();
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      // Deleted (or removed) since it was read: the edit must not bring it back.
      const current = await this.comments.lock(manager, comment.id);
      if (current?.status !== comment.status) throw new ContentNotFoundException('comment');
      await this.comments.update(manager, comment.id, { body, editedAt, status });
      if (status !== comment.status) {
        await this.threadRows.addToCommentCount(manager, comment.threadId, -1);
      }
      await this.policy.record(manager, post, judgement, { replacing: true });
      await this.policy.requestReview(manager, post, judgement);
    });
    return {
      comment: { ...comment, body, editedAt, status },
      thread,
      notices: judgement.notices.map(publicNotice),
    };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const { comment } = await this.ownComment(principal, id, ContentAction.DELETE);
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      const current = await this.comments.lock(manager, comment.id);
      if (current?.status !== ContentStatus.PUBLISHED) return; // a concurrent delete won
      // The text is erased with the status: the row keeps nothing the API no longer shows.
      await this.comments.update(manager, comment.id, {
        status: ContentStatus.DELETED,
        ...ERASED_COMMENT,
      });
      await this.threadRows.addToCommentCount(manager, comment.threadId, -1);
      // Its withholdings would otherwise be subtracted from the count a second time.
      await this.policy.forget(manager, comment.id);
    });
    await flushErasure(this.transactions.dataSource(CONTENT_STORE));
  }

  /**
   * A page of the thread's comments, oldest first (the caller has checked the thread is
   * readable). Comments withheld in the viewer's jurisdictions are left out, but the viewer's
   * own.
   */
  async page(
    threadId: string,
    first: number,
    after: string | null | undefined,
    principal: Principal | undefined,
    jurisdictions: readonly string[],
  ): Promise<CommentPage> {
    const limit = pageSize(first);
    const cursor = decodeCursor(this.cursors, commentList(threadId), after, ORDER);
    const ownToken = principal === undefined ? null : this.authors.authorToken(principal, threadId);
    const rows = await this.comments.findThreadPage(
      threadId,
      cursor,
      limit,
      jurisdictions,
      ownToken,
    );
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((comment) =>
        withLazyCursor({ comment }, () =>
          encodeCursor(this.cursors, commentList(threadId), {
            order: ORDER,
            key: comment.createdAt.getTime(),
            id: comment.id,
          }),
        ),
      ),
    };
  }

  isViewer(principal: Principal | undefined, comment: CommentEntity): boolean {
    return this.access.wroteComment(principal, comment);
  }

  /**
   * The principal's own published comment on a live thread they can read: else NOT_FOUND
   * (a comment on a removed, held or withheld thread is out of reach, and so is its thread),
   * or FORBIDDEN for someone else's comment. EDIT also needs the right to post.
   */
  private async ownComment(
    principal: Principal,
    id: string,
    action: ContentAction.EDIT | ContentAction.DELETE,
  ): Promise<{ comment: CommentEntity; thread: ThreadEntity; board: BoardEntity }> {
    const comment = await this.comments.findById(id);
    const thread = comment === null ? null : await this.threadRows.findById(comment.threadId);
    if (comment === null || thread === null) throw new ContentNotFoundException('comment');
    const board = await this.access.assert(
      action,
      { thread, comment },
      { principal, jurisdictions: this.policy.viewerJurisdictions(principal, undefined) },
      {
        notFound: () => new ContentNotFoundException('comment'),
        refused: () => new NotTheAuthorException(),
      },
    );
    return { comment, thread, board };
  }
}
