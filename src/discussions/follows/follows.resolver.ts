import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { requestLoader } from '../../infrastructure/graphql/request-loaders';
import { VoteRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { toThreadModel } from '../threads/thread.mapper';
import { Thread, ThreadConnection } from '../threads/thread.model';
import { toThreadConnection } from '../threads/threads.resolver';
import { ThreadsService } from '../threads/threads.service';
import { FollowsService } from './follows.service';
import { AFTER_ARG, FIRST_ARG } from '../../infrastructure/graphql/page-info.model';

/** Following and bookmarking threads: the mutations, `Query.bookmarks` and the viewer's flags on Thread. */
@Resolver(() => Thread)
export class FollowsResolver {
  constructor(
    private readonly follows: FollowsService,
    private readonly threads: ThreadsService,
    private readonly policy: ContentPolicy,
  ) {}

  // Per-account toggles on a thread, like votes: they share the vote budget.
  @VoteRateLimited()
  @Mutation(() => Thread, {
    description:
      'Follows the thread (or stops, with `follow: false`): new comments in it come as FOLLOWED_THREAD_ACTIVITY notifications. Needs the thread to be readable; idempotent.',
  })
  async followThread(
    @Args('id', { type: () => ID, description: 'The thread (`Thread.id`).' }) id: string,
    @Context('req') req: Request,
    @CurrentPrincipal() principal: Principal,
    @Args('follow', {
      type: () => Boolean,
      nullable: true,
      defaultValue: true,
      description: 'True to follow, false to stop following.',
    })
    follow: boolean | null,
  ): Promise<Thread> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.follows.follow(principal, id, follow !== false, jurisdictions);
    return toThreadModel(thread, this.threads.isViewer(principal, thread));
  }

  @VoteRateLimited()
  @Mutation(() => Thread, {
    description:
      'Bookmarks the thread (or removes the bookmark, with `bookmark: false`). Needs the thread to be readable; idempotent; at most 1,000 bookmarks (BAD_USER_INPUT, reason BOOKMARK_LIMIT).',
  })
  async bookmarkThread(
    @Args('id', { type: () => ID, description: 'The thread (`Thread.id`).' }) id: string,
    @Context('req') req: Request,
    @CurrentPrincipal() principal: Principal,
    @Args('bookmark', {
      type: () => Boolean,
      nullable: true,
      defaultValue: true,
      description: 'True to bookmark, false to remove the bookmark.',
    })
    bookmark: boolean | null,
  ): Promise<Thread> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.follows.bookmark(principal, id, bookmark !== false, jurisdictions);
    return toThreadModel(thread, this.threads.isViewer(principal, thread));
  }

  @Query(() => ThreadConnection, {
    description:
      'Your bookmarked threads, newest bookmark first; threads you can no longer read are left out (a page may hold fewer than `first`). `first` 1–100, `after` an endCursor of this list.',
  })
  async bookmarks(
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @CurrentPrincipal() principal: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<ThreadConnection> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const page = await this.follows.bookmarkPage(principal, first, after, jurisdictions);
    return toThreadConnection(this.threads, principal, page, after);
  }

  @ResolveField(() => Boolean, {
    description: 'Whether you follow this thread (false for visitors).',
  })
  async viewerFollows(
    @Parent() thread: Thread,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<boolean> {
    if (principal === undefined) return false;
    return requestLoader(req, 'viewer-follows', (ids: readonly string[]) =>
      this.follows.followed(principal, ids),
    ).load(thread.id);
  }

  @ResolveField(() => Boolean, {
    description: 'Whether you bookmarked this thread (false for visitors).',
  })
  async viewerBookmarked(
    @Parent() thread: Thread,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<boolean> {
    if (principal === undefined) return false;
    // The sealed record is opened once per request, whatever the number of threads.
    const record = requestLoader(req, 'viewer-bookmarks', async (keys: readonly string[]) => {
      const ids = new Set(await this.follows.bookmarkedIds(principal));
      return keys.map(() => ids);
    });
    return (await record.load('record')).has(thread.id);
  }
}
