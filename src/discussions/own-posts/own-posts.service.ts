import { Injectable } from '@nestjs/common';
import { withLazyCursor } from '../../common/opaque-cursor';
import type { CommentEntity } from '../../posts/comment.entity';
import { CommentsRepository } from '../../posts/comments.repository';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ContentAccess, type Post, type Viewer } from '../access/content-access.service';
import { ThreadsService } from '../threads/threads.service';
import { type OwnPostKind, OwnPostSlots, type OwnSlotPage } from './own-post-slots.service';

interface OwnPage<T> {
  items: T[];
  hasNextPage: boolean;
  /** The last item's cursor; when every post of the page was left out, the page's end. */
  endCursor: string | null;
}

export type OwnThreadPage = OwnPage<{ cursor: string; thread: ThreadEntity }>;

/** Each comment with the author token of its thread (which marks the original poster). */
export type OwnCommentPage = OwnPage<{
  cursor: string;
  comment: CommentEntity;
  threadAuthorToken: string;
}>;

/**
 * `Viewer.threads` and `Viewer.comments`: the member's own posts in every status (held,
 * removed, rejected, withheld, deleted), newest first, found through their keyed slots
 * (OwnPostSlots) — never through an account id in the content store. What the author may not
 * reach directly any more (ContentAccessPolicy's READ: a post on a board they can no longer
 * read, a comment on someone else's thread that is not public) is left out, so a list does
 * not open what `thread(id)` keeps closed. A page costs the same queries at any depth.
 */
@Injectable()
export class OwnPostsService {
  constructor(
    private readonly slots: OwnPostSlots,
    private readonly threadRows: ThreadsRepository,
    private readonly commentRows: CommentsRepository,
    private readonly threadsService: ThreadsService,
    private readonly access: ContentAccess,
  ) {}

  /** Comment counts leave out comments withheld for the viewer, as `thread(id)` does. */
  async threads(
    viewer: Viewer & { principal: NonNullable<Viewer['principal']> },
    first: number,
    after: string | null | undefined,
  ): Promise<OwnThreadPage> {
    const page = await this.slots.page(viewer.principal, 'thread', first, after);
    const rows = await this.threadRows.findByIds(page.items.map((item) => item.postId));
    const posts = await this.reachable(
      rows.map((thread) => ({ id: thread.id, post: { thread } })),
      viewer,
    );
    const counted = await this.threadsService.withVisibleCounts(
      posts.map(({ post }) => post.thread),
      viewer.jurisdictions,
    );
    return this.inSlotOrder(viewer, 'thread', page, counted, (thread) => ({ thread }));
  }

  async comments(
    viewer: Viewer & { principal: NonNullable<Viewer['principal']> },
    first: number,
    after: string | null | undefined,
  ): Promise<OwnCommentPage> {
    const page = await this.slots.page(viewer.principal, 'comment', first, after);
    const rows = await this.commentRows.findByIds(page.items.map((item) => item.postId));
    const threads = await this.threadRows.findByIds([...new Set(rows.map((c) => c.threadId))]);
    const threadOf = new Map(threads.map((t) => [t.id, t]));
    const posts = await this.reachable(
      rows.flatMap((comment) => {
        const thread = threadOf.get(comment.threadId);
        return thread === undefined ? [] : [{ id: comment.id, post: { thread, comment } }];
      }),
      viewer,
    );
    return this.inSlotOrder(
      viewer,
      'comment',
      page,
      posts.map(({ post }) => ({ id: post.comment.id, post })),
      ({ post }) => ({ comment: post.comment, threadAuthorToken: post.thread.authorToken }),
    );
  }

  /** The posts the viewer may READ (one batch of access facts for the page). */
  private async reachable<P extends Post>(
    rows: Array<{ id: string; post: P }>,
    viewer: Viewer,
  ): Promise<Array<{ id: string; post: P }>> {
    const readable = await this.access.readable(
      rows.map((row) => row.post),
      viewer,
    );
    return rows.filter((_, i) => readable[i]);
  }

  /** The page's items in its slots' order (newest first), each with its cursor, sealed when read. */
  private inSlotOrder<R extends { id: string }, T extends object>(
    viewer: Viewer & { principal: NonNullable<Viewer['principal']> },
    kind: OwnPostKind,
    page: OwnSlotPage,
    rows: readonly R[],
    item: (row: R) => T,
  ): OwnPage<T & { readonly cursor: string }> {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const cursorAt = (slot: number, postId: string) => () =>
      this.slots.cursor(viewer.principal, kind, slot, postId);
    const items = page.items.flatMap(({ slot, postId }) => {
      const row = byId.get(postId);
      return row === undefined ? [] : [withLazyCursor(item(row), cursorAt(slot, postId))];
    });
    const last = items.at(-1);
    return {
      items,
      hasNextPage: page.hasNextPage,
      endCursor:
        last !== undefined ? last.cursor : page.hasNextPage ? cursorAt(page.bottom, '')() : null,
    };
  }
}
