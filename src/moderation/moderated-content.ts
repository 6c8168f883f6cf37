import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BoardEntity } from '../boards/board.entity';
import { BoardsService } from '../boards/boards.service';
import type { CommentEntity } from '../posts/comment.entity';
import { CommentsRepository } from '../posts/comments.repository';
import { ContentStatus } from '../posts/content-status';
import type { ThreadEntity } from '../posts/thread.entity';
import { findPost } from '../posts/find-post';
import { ThreadsRepository } from '../posts/threads.repository';
import type { ReviewContentKind } from './review.entity';

/** A thread or comment as moderation sees it: any status, with its board. */
export interface ModeratedContent {
  readonly id: string;
  readonly kind: ReviewContentKind;
  readonly threadId: string;
  readonly board: BoardEntity;
  readonly status: ContentStatus;
  readonly sealedRef: string;
  readonly thread: ThreadEntity;
  readonly comment: CommentEntity | null;
}

/** Finds posts by id whatever their status, and moves them between statuses. */
@Injectable()
export class ModeratedContentService {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly comments: CommentsRepository,
    private readonly boards: BoardsService,
  ) {}

  async find(contentId: string, manager?: EntityManager): Promise<ModeratedContent | null> {
    const post = await findPost(this.threads, this.comments, contentId, manager);
    if (post === null) return null;
    const board = await this.boards.byId(post.thread.boardId);
    return board === null ? null : moderated(post.thread, post.comment, board);
  }

  /**
   * Many posts by id, whatever their status, in three queries (threads, comments, boards) and
   * a fourth for the threads of comments whose thread is not among them; missing ids are left
   * out. For loaders that resolve a page of review items.
   */
  async findMany(contentIds: readonly string[]): Promise<ModeratedContent[]> {
    if (contentIds.length === 0) return [];
    const [threads, comments] = await Promise.all([
      this.threads.findByIds(contentIds),
      this.comments.findByIds(contentIds),
    ]);
    const threadById = new Map(threads.map((t) => [t.id, t]));
    const missing = [...new Set(comments.map((c) => c.threadId))].filter(
      (id) => !threadById.has(id),
    );
    for (const thread of await this.threads.findByIds(missing)) threadById.set(thread.id, thread);
    const boards = await this.boards.byIds([
      ...new Set([...threadById.values()].map((t) => t.boardId)),
    ]);
    const boardById = new Map(boards.map((b) => [b.id, b]));
    const found: ModeratedContent[] = [];
    const add = (thread: ThreadEntity | undefined, comment: CommentEntity | null): void => {
      const board = thread === undefined ? undefined : boardById.get(thread.boardId);
      if (thread !== undefined && board !== undefined)
        found.push(moderated(thread, comment, board));
    };
    for (const thread of threads) add(thread, null);
    for (const comment of comments) add(threadById.get(comment.threadId), comment);
    return found;
  }

  /**
   * Sets a post's status in the caller's transaction, keeping its thread's comment count: a
   * comment leaving PUBLISHED is no longer counted, one entering it is counted again.
   */
  async setStatus(
    manager: EntityManager,
    content: ModeratedContent,
    status: ContentStatus,
  ): Promise<void> {
    if (content.status === status) return;
    if (content.kind === 'THREAD') {
      await this.threads.update(manager, content.id, { status });
      return;
    }
    await this.comments.update(manager, content.id, { status });
    const delta =
      (status === ContentStatus.PUBLISHED ? 1 : 0) -
      (content.status === ContentStatus.PUBLISHED ? 1 : 0);
    if (delta !== 0) await this.threads.addToCommentCount(manager, content.threadId, delta);
  }
}

function moderated(
  thread: ThreadEntity,
  comment: CommentEntity | null,
  board: BoardEntity,
): ModeratedContent {
  const post = comment ?? thread;
  return {
    id: post.id,
    kind: comment === null ? 'THREAD' : 'COMMENT',
    threadId: thread.id,
    board,
    status: post.status,
    sealedRef: post.sealedRef,
    thread,
    comment,
  };
}
