import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AFTER_ARG, FIRST_ARG, pageInfoOf } from '../../infrastructure/graphql/page-info.model';
import type { Request } from 'express';
import { withLazyCursor } from '../../common/opaque-cursor';
import { UnauthenticatedException } from '../../common/errors';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { Viewer } from '../../identity/accounts/viewer.model';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { toCommentModel } from '../comments/comment.mapper';
import { CommentConnection } from '../comments/comment.model';
import { toThreadModel } from '../threads/thread.mapper';
import { ThreadConnection } from '../threads/thread.model';
import { OwnPostsService } from './own-posts.service';

/** The signed-in member's own threads and comments (`Viewer.threads`, `Viewer.comments`). */
@Resolver(() => Viewer)
export class OwnPostsResolver {
  constructor(
    private readonly ownPosts: OwnPostsService,
    private readonly policy: ContentPolicy,
  ) {}

  @ResolveField(() => ThreadConnection, {
    description:
      'Your own threads, newest first, whatever their status (held, removed, withheld, deleted), on the boards you can still read; their `notices` say what compliance rules did. `first` 1–100, `after` an endCursor of this list (a page may hold fewer than `first`).',
  })
  async threads(
    @Parent() parent: Viewer,
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<ThreadConnection> {
    const page = await this.ownPosts.threads(
      this.viewer(parent.principal ?? principal, req),
      first,
      after,
    );
    return {
      edges: page.items.map((item) =>
        withLazyCursor({ node: toThreadModel(item.thread, true) }, () => item.cursor),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after, () => page.endCursor),
    };
  }

  @ResolveField(() => CommentConnection, {
    description:
      "Your own comments, newest first, whatever their status (held, removed, withheld, deleted), where you can still reach them (not on a board you can no longer read, nor on someone else's thread that is not public). `first` 1–100, `after` an endCursor of this list (a page may hold fewer than `first`).",
  })
  async comments(
    @Parent() parent: Viewer,
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<CommentConnection> {
    const page = await this.ownPosts.comments(
      this.viewer(parent.principal ?? principal, req),
      first,
      after,
    );
    return {
      edges: page.items.map((item) =>
        withLazyCursor(
          { node: toCommentModel(item.comment, item.threadAuthorToken, true) },
          () => item.cursor,
        ),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after, () => page.endCursor),
    };
  }

  /**
   * A Viewer exists only for a signed-in principal; this makes it explicit. A Session's Viewer
   * brings its own (`Viewer.principal`): the request that signed in carries none.
   */
  private viewer(principal: Principal | undefined, req: Request) {
    if (principal === undefined) throw new UnauthenticatedException('Sign in to see your posts.');
    return { principal, jurisdictions: this.policy.viewerJurisdictions(principal, req) };
  }
}
