import { Injectable } from '@nestjs/common';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import type { Principal } from '../../infrastructure/auth/principal';
import { SanctionsService } from '../../identity/moderation/sanctions.service';
import { AuthorIdentityService } from '../author-identity.service';
import type { CommentEntity } from '../../posts/comment.entity';
import type { ThreadEntity } from '../../posts/thread.entity';
import {
  type AccessFacts,
  ContentAccessPolicy,
  ContentAction,
  Refusal,
} from './content-access.policy';

/** Who is asking: a visitor (no principal) or a member, and the jurisdictions they are judged by. */
export interface Viewer {
  readonly principal: Principal | undefined;
  /** ContentPolicy.viewerJurisdictions: the account's, and the trusted proxy's where it says. */
  readonly jurisdictions: readonly string[];
}

/** A thread (no comment), or a comment with its thread. */
export interface Post {
  readonly thread: ThreadEntity;
  readonly comment?: CommentEntity | null;
}

/** The answer for one post: the refusal (null when allowed) and the board, for the caller's next step. */
export interface AccessAnswer {
  readonly refusal: Refusal | null;
  readonly board: BoardEntity | null;
  /** The viewer's suspension or ban, when the action needs the right to post. */
  readonly restriction: Error | null;
}

/** Writes whose refusal comes first when the viewer is suspended or banned. */
const NEEDS_POSTING_RIGHTS: ReadonlySet<ContentAction> = new Set([
  ContentAction.COMMENT,
  ContentAction.VOTE,
  ContentAction.EDIT,
]);

/**
 * Gathers the facts ContentAccessPolicy decides on (board access, authorship, withholding,
 * staff role, sanctions) for one post and one viewer, and asks it. Every path that reaches a
 * single thread or comment goes through here.
 */
@Injectable()
export class ContentAccess {
  constructor(
    private readonly boards: BoardsService,
    private readonly policy: ContentPolicy,
    private readonly authors: AuthorIdentityService,
    private readonly sanctions: SanctionsService,
  ) {}

  /** Whether the viewer may do `action` with the post, and the post's board. */
  async check(action: ContentAction, post: Post, viewer: Viewer): Promise<AccessAnswer> {
    const board = await this.boards.byId(post.thread.boardId);
    if (board === null) return { refusal: Refusal.NOT_FOUND, board, restriction: null };
    const { facts, restriction } = await this.facts(action, post, board, viewer);
    return { refusal: ContentAccessPolicy.decide(action, facts), board, restriction };
  }

  /**
   * Like check, and throws the refusal as the error a path answers with: NOT_FOUND through
   * `notFound` (each path names what was not found), a suspension or ban as
   * PostingRestrictedException, the rest through `refused`.
   */
  async assert(
    action: ContentAction,
    post: Post,
    viewer: Viewer,
    errors: { notFound: () => Error; refused?: (refusal: Refusal) => Error },
  ): Promise<BoardEntity> {
    const { refusal, board, restriction } = await this.check(action, post, viewer);
    if (refusal === null && board !== null) return board;
    if (refusal === Refusal.RESTRICTED && restriction !== null) throw restriction;
    if (refusal === Refusal.NOT_FOUND || refusal === null || errors.refused === undefined)
      throw errors.notFound();
    throw errors.refused(refusal);
  }

  /** Whether the viewer wrote the thread. */
  wroteThread(principal: Principal | undefined, thread: ThreadEntity): boolean {
    return (
      principal !== undefined &&
      this.authors.authorToken(principal, thread.id) === thread.authorToken
    );
  }

  /** Whether the viewer wrote the comment. */
  wroteComment(principal: Principal | undefined, comment: CommentEntity): boolean {
    return (
      principal !== undefined &&
      this.authors.authorToken(principal, comment.threadId) === comment.authorToken
    );
  }

  /** Whether the viewer wrote the post (a thread, or a comment with its thread). */
  wrotePost(principal: Principal | undefined, post: Post): boolean {
    return post.comment == null
      ? this.wroteThread(principal, post.thread)
      : this.wroteComment(principal, post.comment);
  }

  /**
   * Whether the viewer may READ each post (reach it directly), for a page of posts at once:
   * one look at their boards, one at the viewer and one at the posts' withholdings.
   */
  readable(posts: readonly Post[], viewer: Viewer): Promise<boolean[]> {
    return this.decideMany(ContentAction.READ, posts, viewer);
  }

  /**
   * Whether each post may be LISTED for the viewer (found in a list, such as search results),
   * for a page of posts at once, as `readable` does for READ.
   */
  listable(posts: readonly Post[], viewer: Viewer): Promise<boolean[]> {
    return this.decideMany(ContentAction.LIST, posts, viewer);
  }

  private async decideMany(
    action: ContentAction.READ | ContentAction.LIST,
    posts: readonly Post[],
    viewer: Viewer,
  ): Promise<boolean[]> {
    if (posts.length === 0) return [];
    const { principal, jurisdictions } = viewer;
    const boards = await this.boards.byIds([...new Set(posts.map((p) => p.thread.boardId))]);
    const ids = posts.flatMap((p) =>
      p.comment == null ? [p.thread.id] : [p.thread.id, p.comment.id],
    );
    const [readable, withheld] = await Promise.all([
      this.boards.readable(boards, principal),
      this.policy.withheld(ids, jurisdictions),
    ]);
    const readableBoards = new Set(boards.filter((_, i) => readable[i]).map((b) => b.id));
    return posts.map(
      (post) =>
        ContentAccessPolicy.decide(
          action,
          this.factsOf(post, principal, {
            boardReadable: readableBoards.has(post.thread.boardId),
            // Reading needs neither the right to post nor freedom from sanctions.
            boardPostable: false,
            withheld,
            restricted: false,
          }),
        ) === null,
    );
  }

  private async facts(
    action: ContentAction,
    post: Post,
    board: BoardEntity,
    viewer: Viewer,
  ): Promise<{ facts: AccessFacts; restriction: Error | null }> {
    const { principal, jurisdictions } = viewer;
    const { thread } = post;
    const comment = post.comment ?? null;
    const ids = comment === null ? [thread.id] : [thread.id, comment.id];
    const [boardReadable, boardPostable, withheld, restriction] = await Promise.all([
      this.boards.canRead(board, principal),
      principal === undefined ? false : this.boards.canPost(board, principal),
      this.policy.withheld(ids, jurisdictions),
      principal !== undefined && NEEDS_POSTING_RIGHTS.has(action)
        ? this.sanctions.restrictionOf(principal.accountId)
        : null,
    ]);
    const facts = this.factsOf(post, principal, {
      boardReadable,
      boardPostable,
      withheld,
      restricted: restriction !== null,
    });
    return { facts, restriction };
  }

  /** The policy's facts about the post, from what was looked up about its board and the viewer. */
  private factsOf(
    post: Post,
    principal: Principal | undefined,
    found: {
      boardReadable: boolean;
      boardPostable: boolean;
      /** The ids of the posts withheld in the viewer's jurisdictions. */
      withheld: ReadonlySet<string>;
      restricted: boolean;
    },
  ): AccessFacts {
    const { thread } = post;
    const comment = post.comment ?? null;
    const threadAuthor = this.wroteThread(principal, thread);
    return {
      kind: comment === null ? 'THREAD' : 'COMMENT',
      status: (comment ?? thread).status,
      threadStatus: thread.status,
      boardReadable: found.boardReadable,
      boardPostable: found.boardPostable,
      author: comment === null ? threadAuthor : this.wroteComment(principal, comment),
      threadAuthor,
      staff: this.policy.seesNoticesOfOthers(principal),
      withheld: found.withheld.has((comment ?? thread).id),
      threadWithheld: found.withheld.has(thread.id),
      restricted: found.restricted,
    };
  }
}
