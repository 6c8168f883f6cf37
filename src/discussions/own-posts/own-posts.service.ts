import { Injectable } from '@nestjs/common';
import { withLazyCursor } from '../../common/opaque-cursor';
import type { Principal } from '../../infrastructure/auth/principal';
import type { CommentEntity } from '../../posts/comment.entity';
import { CommentsRepository } from '../../posts/comments.repository';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ThreadsService } from '../threads/threads.service';
import { type OwnPostKind, OwnPostSlots, type OwnSlotPage } from './own-post-slots.service';

export interface OwnThreadPage {
  items: Array<{ cursor: string; thread: ThreadEntity }>;
  hasNextPage: boolean;
}

export interface OwnCommentPage {
  /** Each comment with the author token of its thread (which marks the original poster). */
  items: Array<{ cursor: string; comment: CommentEntity; threadAuthorToken: string }>;
  hasNextPage: boolean;
}

/**
 * `Viewer.threads` and `Viewer.comments`: the member's own posts in every status (held,
 * removed, rejected, withheld, deleted), newest first, found through their keyed slots
 * (OwnPostSlots) — never through an account id in the content store. A page costs the same
 * queries at any depth: the slots of the page, the posts, and (threads) the comment counts.
 */
@Injectable()
export class OwnPostsService {
  constructor(
    private readonly slots: OwnPostSlots,
    private readonly threadRows: ThreadsRepository,
    private readonly commentRows: CommentsRepository,
    private readonly threadsService: ThreadsService,
  ) {}

  /** Comment counts leave out comments withheld in `jurisdictions`, as `thread(id)` does. */
  async threads(
    principal: Principal,
    first: number,
    after: string | null | undefined,
    jurisdictions: readonly string[],
  ): Promise<OwnThreadPage> {
    const page = await this.slots.page(principal, 'thread', first, after);
    const rows = await this.threadsService.withVisibleCounts(
      await this.threadRows.findByIds(page.items.map((item) => item.postId)),
      jurisdictions,
    );
    return {
      hasNextPage: page.hasNextPage,
      items: this.inSlotOrder(principal, 'thread', page, rows).map(({ post, cursor }) =>
        withLazyCursor({ thread: post }, cursor),
      ),
    };
  }

  async comments(
    principal: Principal,
    first: number,
    after: string | null | undefined,
  ): Promise<OwnCommentPage> {
    const page = await this.slots.page(principal, 'comment', first, after);
    const rows = await this.commentRows.findByIds(page.items.map((item) => item.postId));
    const threads = await this.threadRows.findByIds([...new Set(rows.map((c) => c.threadId))]);
    const tokenOf = new Map(threads.map((t) => [t.id, t.authorToken]));
    return {
      hasNextPage: page.hasNextPage,
      items: this.inSlotOrder(principal, 'comment', page, rows).map(({ post, cursor }) =>
        withLazyCursor(
          { comment: post, threadAuthorToken: tokenOf.get(post.threadId) ?? '' },
          cursor,
        ),
      ),
    };
  }

  /** The page's posts in its slots' order (newest first), each with its cursor, sealed when read. */
  private inSlotOrder<T extends { id: string }>(
    principal: Principal,
    kind: OwnPostKind,
    page: OwnSlotPage,
    rows: readonly T[],
  ): Array<{ post: T; cursor: () => string }> {
    const byId = new Map(rows.map((row) => [row.id, row]));
    return page.items.flatMap(({ slot, postId }) => {
      const post = byId.get(postId);
      if (post === undefined) return [];
      return [{ post, cursor: () => this.slots.cursor(principal, kind, slot, postId) }];
    });
  }
}
