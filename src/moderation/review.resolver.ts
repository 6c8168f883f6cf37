import { withLazyCursor } from '../common/opaque-cursor';
import { pageInfoOf } from '../infrastructure/graphql/page-info.model';
import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { ForbiddenException, UnauthenticatedException } from '../common/errors';
import type { Request } from 'express';
import type { Comment } from '../discussions/comments/comment.model';
import { toContentModel } from '../discussions/content.model';
import type { Thread } from '../discussions/threads/thread.model';
import { StaffTokenService } from '../identity/sealing/staff-token.service';
import {
  bearerTokenOf,
  CurrentPrincipal,
  type RequestWithPrincipal,
  Roles,
} from '../infrastructure/auth/auth.decorators';
import {
  type Principal,
  PRINCIPAL_RESOLVER,
  type PrincipalResolver,
} from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import { PUB_SUB, type PubSubEngine } from '../infrastructure/events/pub-sub.module';
import {
  screenedEvents,
  StreamEnded,
  type Screening,
} from '../infrastructure/events/screened-events';
import { byKeys, requestLoader } from '../infrastructure/graphql/request-loaders';
import { ReportRateLimited } from '../infrastructure/rate-limit/account-rate-limited.decorator';
import { ModeratedContentService } from './moderated-content';
import { Appeals } from './appeals.service';
import { Reports } from './reports.service';
import { ReviewDecisions } from './review-decisions.service';
import { REVIEW_QUEUE_TOPIC, type ReviewQueueEvent } from './review-items';
import { REASON_CODES } from './reason-codes';
import { ReviewItemsRepository } from './review-items.repository';
import { toReviewEventModel, toReviewItemModel } from './review.mapper';
import {
  Content,
  DecideReviewItemInput,
  ReasonCodeInfo,
  ReportReason,
  ReviewEvent,
  ReviewItem,
  ReviewItemConnection,
  ReviewQueueFilter,
  ReviewQueueOrder,
} from './review.model';
import { ReviewQueueService } from './review-queue.service';

@Resolver(() => ReviewItem)
export class ReviewResolver {
  constructor(
    private readonly decisions: ReviewDecisions,
    private readonly reports: Reports,
    private readonly appeals: Appeals,
    private readonly queue: ReviewQueueService,
    private readonly items: ReviewItemsRepository,
    private readonly contents: ModeratedContentService,
    private readonly staffTokens: StaffTokenService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
  ) {}

  @Roles(Role.MODERATOR)
  @Query(() => ReviewItemConnection, {
    description:
      'The review queue: pending items by priority (or oldest first), `first` 1–100. Moderators.',
  })
  async reviewQueue(
    @Args('first', { type: () => Int }) first: number,
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => ReviewQueueFilter, nullable: true })
    filter?: ReviewQueueFilter | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('order', {
      type: () => ReviewQueueOrder,
      nullable: true,
      defaultValue: ReviewQueueOrder.PRIORITY,
    })
    order?: ReviewQueueOrder | null,
  ): Promise<ReviewItemConnection> {
    const page = await this.queue.page(
      principal,
      filter,
      first,
      after,
      order ?? ReviewQueueOrder.PRIORITY,
    );
    return {
      edges: page.items.map((entry) =>
        withLazyCursor({ node: toReviewItemModel(entry.item) }, () => entry.cursor),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after),
    };
  }

  @Roles(Role.MODERATOR)
  @Query(() => ReviewItem, { nullable: true, description: 'One review item. Moderators.' })
  async reviewItem(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem | null> {
    const item = await this.items.findById(id);
    if (item === null) return null;
    const filter = await this.queue.effectiveFilter(principal, null);
    return ReviewQueueService.matches(item, filter) ? toReviewItemModel(item) : null;
  }

  @Roles(Role.MODERATOR)
  @Query(() => [ReasonCodeInfo], { description: 'The reason codes a rejection takes. Moderators.' })
  reasonCodes(): ReasonCodeInfo[] {
    return REASON_CODES.map((reason) => ({ ...reason }));
  }

  @Roles(Role.MODERATOR)
  @Mutation(() => ReviewItem, {
    description: 'Reserves the item for you (REVIEW_CLAIM_MINUTES). Moderators.',
  })
  async claimReviewItem(
    @Args('id', { type: () => ID }) id: string,
    @Args('version', { type: () => Int }) version: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem> {
    return toReviewItemModel(await this.decisions.claim(principal, id, version));
  }

  @Roles(Role.MODERATOR)
  @Mutation(() => ReviewItem, {
    description: 'Approve, reject or ignore; a stale version is CONFLICT. Moderators.',
  })
  async decideReviewItem(
    @Args('input') input: DecideReviewItemInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem> {
    return toReviewItemModel(await this.decisions.decide(principal, input));
  }

  @ReportRateLimited()
  @Mutation(() => Boolean, { description: 'Report a post you can read; once per post.' })
  async report(
    @Args('contentId', { type: () => ID }) contentId: string,
    @Args('reason', { type: () => ReportReason }) reason: ReportReason,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
    @Args('details', { type: () => String, nullable: true }) details?: string | null,
  ): Promise<boolean> {
    await this.reports.report(principal, contentId, reason, details, req);
    return true;
  }

  @ReportRateLimited()
  @Mutation(() => Boolean, { description: 'Appeal the removal of your post, once per decision.' })
  async appeal(
    @Args('contentId', { type: () => ID }) contentId: string,
    @Args('statement') statement: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.appeals.appeal(principal, contentId, statement);
    return true;
  }

  @ResolveField(() => Content)
  async content(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
  ): Promise<Thread | Comment> {
    const content = await requestLoader(req, 'moderated-content', async (ids: readonly string[]) =>
      byKeys(ids, await this.contents.findMany(ids), (c) => c.id, null),
    ).load(item.contentId);
    if (content === null) throw new Error('review item without content');
    return toContentModel(content, false);
  }

  @ResolveField(() => Boolean)
  claimedByViewer(@Parent() item: ReviewItem, @CurrentPrincipal() principal?: Principal): boolean {
    return (
      principal !== undefined &&
      item.claimedBy !== null &&
      (item.claimExpiresAt?.getTime() ?? 0) > Date.now() &&
      this.staffTokens.matches(principal.accountId, item.claimedBy)
    );
  }

  @ResolveField(() => [ReviewEvent], { description: 'Oldest first; append-only.' })
  async history(@Parent() item: ReviewItem, @Context('req') req: object): Promise<ReviewEvent[]> {
    const events = await requestLoader(req, 'review-history', async (ids: readonly string[]) => {
      const rows = await this.items.history(ids);
      return ids.map((id) => rows.filter((row) => row.itemId === id));
    }).load(item.id);
    return events.map(toReviewEventModel);
  }

  @Roles(Role.MODERATOR)
  @Subscription(() => ReviewItem, {
    description:
      'Items entering, changing in or leaving your view of the queue. Moderators. The stream ends with UNAUTHENTICATED when the session ends, or FORBIDDEN when the MODERATOR role or the scope of the filter is lost.',
    resolve: (event: ReviewQueueEvent | StreamEnded) => {
      if (event instanceof StreamEnded) throw event.error;
      return toReviewItemModel(event.reviewQueueChanged);
    },
  })
  async reviewQueueChanged(
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: RequestWithPrincipal,
    @Args('filter', { type: () => ReviewQueueFilter, nullable: true })
    filter?: ReviewQueueFilter | null,
  ): Promise<AsyncIterator<ReviewQueueEvent | StreamEnded>> {
    await this.queue.effectiveFilter(principal, filter); // refuses another company's filter now
    const token = bearerTokenOf(req);
    // Every event is checked against the session as it is now (items carry held posts):
    // signing out, losing the MODERATOR role or the filter's scope ends the stream, with the
    // error that says why.
    return screenedEvents(
      this.pubSub.asyncIterableIterator<ReviewQueueEvent>(REVIEW_QUEUE_TOPIC),
      async (event): Promise<Screening> => {
        const current = await this.principals.resolve(token);
        if (current === null)
          return new StreamEnded(new UnauthenticatedException('Your session has ended.'));
        const effective = current.roles.has(Role.MODERATOR)
          ? await this.queue.effectiveFilter(current, filter).catch(() => null)
          : null;
        if (effective === null)
          return new StreamEnded(
            new ForbiddenException('You may no longer follow this view of the queue.'),
          );
        return ReviewQueueService.matches(event.reviewQueueChanged, effective) ? 'deliver' : 'skip';
      },
    );
  }
}
