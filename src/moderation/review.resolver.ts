import { withLazyCursor } from '../common/opaque-cursor';
import { AFTER_ARG, FIRST_ARG, pageInfoOf } from '../infrastructure/graphql/page-info.model';
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
import {
  BadUserInputException,
  ForbiddenException,
  UnauthenticatedException,
} from '../common/errors';
import { roundToMinute } from '../common/time';
import { validationPipe } from '../common/validation-pipe';
import { ContentAccess } from '../discussions/access/content-access.service';
import { SanctionKind } from '../identity/moderation/sanction-kind';
import { SanctionsService } from '../identity/moderation/sanctions.service';
import { reportPartialError } from '../infrastructure/graphql/partial-errors';
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
import type { ReportEntity, ReviewEventEntity, ReviewItemEntity } from './review.entity';
import {
  AuthorHistory,
  Content,
  DecideReviewItemInput,
  DecisionRecord,
  ReportDetail,
  ReviewKind,
  ReviewStatus,
  ReasonCodeInfo,
  ReportReason,
  ReviewEvent,
  ReviewItem,
  ReviewItemConnection,
  ReviewQueueFilter,
  ReviewQueueOrder,
} from './review.model';
import { ReviewQueueService } from './review-queue.service';

/** The most inputs one `decideReviewItems` takes. */
export const DECIDE_MANY_MAX = 50;

/** Whether the item's claim is held now. */
const claimHeld = (item: ReviewItem): boolean =>
  item.claimedBy !== null && (item.claimExpiresAt?.getTime() ?? 0) > Date.now();

/** The staff handle of the newest event of `item` whose action starts with `prefix`. */
const lastHandle = (events: readonly ReviewEventEntity[], prefix: string): string | null =>
  events.findLast((event) => event.action.startsWith(prefix))?.actorHandle ?? null;

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
    private readonly access: ContentAccess,
    private readonly sanctions: SanctionsService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
  ) {}

  @Roles(Role.MODERATOR)
  @Query(() => ReviewItemConnection, {
    description:
      'Moderators only. The review queue: pending items by priority (or oldest first), `first` 1–100; a scoped moderator sees their company board only.',
  })
  async reviewQueue(
    @Args('first', FIRST_ARG) first: number,
    @CurrentPrincipal() principal: Principal,
    @Args('filter', {
      type: () => ReviewQueueFilter,
      nullable: true,
      description: 'Which items; omitted: the pending items of your boards.',
    })
    filter?: ReviewQueueFilter | null,
    @Args('after', AFTER_ARG) after?: string | null,
    @Args('order', {
      type: () => ReviewQueueOrder,
      nullable: true,
      defaultValue: ReviewQueueOrder.PRIORITY,
      description: 'The order; keep it the same across pages.',
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
    const count = () => this.queue.count(principal, filter);
    const jurisdictions = () => this.queue.jurisdictions(principal, filter);
    return {
      edges: page.items.map((entry) =>
        withLazyCursor({ node: toReviewItemModel(entry.item) }, () => entry.cursor),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after),
      // Counted only when asked for (one COUNT with the same filter).
      get totalCount(): Promise<number> {
        return count();
      },
      get jurisdictions(): Promise<string[]> {
        return jurisdictions();
      },
    } as unknown as ReviewItemConnection;
  }

  @Roles(Role.MODERATOR)
  @Query(() => ReviewItem, {
    nullable: true,
    description: 'Moderators only. One review item; null when missing or outside your scope.',
  })
  async reviewItem(
    @Args('id', { type: () => ID, description: 'The item (`ReviewItem.id`).' }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem | null> {
    const item = await this.items.findById(id);
    if (item === null) return null;
    const filter = await this.queue.effectiveFilter(principal, null);
    return ReviewQueueService.matches(item, filter) ? toReviewItemModel(item) : null;
  }

  @Roles(Role.MODERATOR)
  @Query(() => [ReasonCodeInfo], {
    description: 'Moderators only. The reason codes a rejection takes.',
  })
  reasonCodes(): ReasonCodeInfo[] {
    return REASON_CODES.map((reason) => ({ ...reason }));
  }

  @Roles(Role.MODERATOR)
  @Mutation(() => ReviewItem, {
    description:
      'Moderators only. Reserves the item for you for REVIEW_CLAIM_MINUTES (default 10); a stale version is CONFLICT.',
  })
  async claimReviewItem(
    @Args('id', { type: () => ID, description: 'The item (`ReviewItem.id`).' }) id: string,
    @Args('version', { type: () => Int, description: 'The `ReviewItem.version` you read.' })
    version: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem> {
    return toReviewItemModel(await this.decisions.claim(principal, id, version));
  }

  @Roles(Role.MODERATOR)
  @Mutation(() => ReviewItem, {
    description: 'Moderators only. Approve, reject or ignore; a stale version is CONFLICT.',
  })
  async decideReviewItem(
    @Args('input', { description: 'The decision.' }) input: DecideReviewItemInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewItem> {
    return toReviewItemModel(await this.decisions.decide(principal, input));
  }

  @Roles(Role.MODERATOR)
  @Mutation(() => [ReviewItem], {
    description: `Moderators only. Decides up to ${DECIDE_MANY_MAX} items, each input on its own exactly as decideReviewItem would (same checks, its own transaction): one that fails leaves the others decided. The list holds the items decided, in the order of the inputs; each input that failed adds an error with its usual code and \`extensions.id\` and \`extensions.index\` (its position in \`inputs\`).`,
  })
  async decideReviewItems(
    @Args('inputs', {
      type: () => [DecideReviewItemInput],
      description: `The decisions: 1 to ${DECIDE_MANY_MAX}.`,
    })
    inputs: DecideReviewItemInput[],
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: object,
  ): Promise<ReviewItem[]> {
    if (inputs.length === 0 || inputs.length > DECIDE_MANY_MAX) {
      throw new BadUserInputException(`inputs must hold 1 to ${DECIDE_MANY_MAX} decisions.`, {
        fields: ['inputs'],
      });
    }
    const decided: ReviewItem[] = [];
    for (const [index, raw] of inputs.entries()) {
      try {
        // Each input is validated as decideReviewItem's input is (a list's items are not).
        const input = (await validationPipe.transform(
          { ...raw },
          { type: 'body', metatype: DecideReviewItemInput },
        )) as DecideReviewItemInput;
        decided.push(toReviewItemModel(await this.decisions.decide(principal, input)));
      } catch (error) {
        // An AppException keeps its code; anything else is logged and reported as an
        // internal error of this input only.
        const id = typeof raw.id === 'string' ? raw.id.slice(0, 36) : null;
        reportPartialError(req, ['decideReviewItems'], error, { id, index });
      }
    }
    return decided;
  }

  @ReportRateLimited()
  @Mutation(() => Boolean, { description: 'Report a post you can read; once per post.' })
  async report(
    @Args('contentId', {
      type: () => ID,
      description: 'The thread or comment (`Thread.id`, `Comment.id`); not your own.',
    })
    contentId: string,
    @Args('reason', { type: () => ReportReason, description: 'Why you report it.' })
    reason: ReportReason,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
    @Args('details', {
      type: () => String,
      nullable: true,
      description: 'Your own words for the moderators: at most 1,000 characters.',
    })
    details?: string | null,
  ): Promise<boolean> {
    await this.reports.report(principal, contentId, reason, details, req);
    return true;
  }

  @ReportRateLimited()
  @Mutation(() => Boolean, { description: 'Appeal the removal of your post, once per decision.' })
  async appeal(
    @Args('contentId', {
      type: () => ID,
      description: 'Your thread or comment (`Thread.id`, `Comment.id`).',
    })
    contentId: string,
    @Args('statement', { description: 'Why the decision is wrong: 1 to 2,000 characters.' })
    statement: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.appeals.appeal(principal, contentId, statement);
    return true;
  }

  @ResolveField(() => Content, { description: 'The thread or comment under review, as it now is.' })
  async content(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
  ): Promise<Thread | Comment> {
    const content = await this.moderatedContent(req, item.contentId);
    if (content === null) throw new Error('review item without content');
    return toContentModel(content, false);
  }

  @ResolveField(() => Boolean, { description: 'Whether you hold the claim on it now.' })
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
    return (await this.historyOf(req, item.id)).map(toReviewEventModel);
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The staff handle of whoever holds the claim now; null when nobody does.',
  })
  async claimedByHandle(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
  ): Promise<string | null> {
    if (!claimHeld(item)) return null;
    return lastHandle(await this.historyOf(req, item.id), 'claimed');
  }

  @ResolveField('reports', () => [ReportDetail], {
    description:
      'The reports of the post, oldest first: reason, the reporter’s own words and the minute; never who.',
  })
  async reportDetails(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
  ): Promise<ReportDetail[]> {
    const reports = await requestLoader(req, 'review-reports', async (ids: readonly string[]) => {
      const rows = await this.items.reportsOf(ids);
      const byContent = new Map<string, ReportEntity[]>();
      for (const row of rows)
        byContent.set(row.contentId, [...(byContent.get(row.contentId) ?? []), row]);
      return ids.map((id) => byContent.get(id) ?? []);
    }).load(item.contentId);
    return reports.map((report) => ({
      reason: report.reason as ReportReason,
      details: report.details,
      at: roundToMinute(report.createdAt),
    }));
  }

  @ResolveField(() => DecisionRecord, {
    nullable: true,
    description: 'APPEAL items: the decision under appeal; null for other kinds.',
  })
  async appealOf(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
  ): Promise<DecisionRecord | null> {
    const appealed = await this.appealedItem(req, item);
    if (appealed?.decision == null || appealed.decidedAt === null) return null;
    const decider = lastHandle(await this.historyOf(req, appealed.id), 'decided');
    return {
      decision: appealed.decision,
      reasonCode: appealed.reasonCode,
      note: appealed.note,
      sanction: (appealed.sanctionKind as SanctionKind | null) ?? null,
      sanctionDays: appealed.sanctionDays,
      decidedAt: roundToMinute(appealed.decidedAt),
      // Every decision has its event; the fallback is for a history that lost it.
      deciderHandle: decider ?? 'staff',
    };
  }

  @ResolveField(() => AuthorHistory, {
    nullable: true,
    description:
      'The author’s earlier sanctions still standing (not lifted on appeal) in the last 365 days, by kind: counts only (docs/anonymity.md, "Author history"). Null when the author’s account no longer exists. MODERATOR only.',
  })
  async authorHistory(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<AuthorHistory | null> {
    if (principal === undefined || !principal.roles.has(Role.MODERATOR)) {
      throw new ForbiddenException('Only moderators see an author’s history.');
    }
    const content = await this.moderatedContent(req, item.contentId);
    if (content === null) return null;
    // One batch for the page: two statements, not two per item.
    return requestLoader(req, 'author-history', (refs: readonly string[]) =>
      this.sanctions.historiesOf(refs),
    ).load(content.sealedRef);
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether you may decide it now: pending, not claimed by another moderator, not your own post and, for an appeal, not your decision under appeal.',
  })
  async viewerMayDecide(
    @Parent() item: ReviewItem,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<boolean> {
    if (principal === undefined || item.status !== ReviewStatus.PENDING) return false;
    if (claimHeld(item) && !this.staffTokens.matches(principal.accountId, item.claimedBy!))
      return false;
    const content = await this.moderatedContent(req, item.contentId);
    if (content === null || this.access.wrotePost(principal, content)) return false;
    if (item.kind !== ReviewKind.APPEAL) return true;
    const appealed = await this.appealedItem(req, item);
    return !(
      appealed?.decidedBy != null &&
      this.staffTokens.matches(principal.accountId, appealed.decidedBy)
    );
  }

  private historyOf(req: object, itemId: string): Promise<ReviewEventEntity[]> {
    return requestLoader(req, 'review-history', async (ids: readonly string[]) => {
      const rows = await this.items.history(ids);
      return ids.map((id) => rows.filter((row) => row.itemId === id));
    }).load(itemId);
  }

  private async appealedItem(req: object, item: ReviewItem): Promise<ReviewItemEntity | null> {
    if (item.kind !== ReviewKind.APPEAL || item.appealOfId === null) return null;
    return requestLoader(req, 'review-items-by-id', async (ids: readonly string[]) =>
      byKeys(ids, await this.items.findByIds(ids), (row) => row.id, null),
    ).load(item.appealOfId);
  }

  private moderatedContent(req: object, contentId: string) {
    return requestLoader(req, 'moderated-content', async (ids: readonly string[]) =>
      byKeys(ids, await this.contents.findMany(ids), (c) => c.id, null),
    ).load(contentId);
  }

  @Roles(Role.MODERATOR)
  @Subscription(() => ReviewItem, {
    description:
      'Moderators only. Items entering, changing in or leaving your view of the queue. The stream ends with UNAUTHENTICATED when the session ends, or FORBIDDEN when the MODERATOR role or the scope of the filter is lost.',
    resolve: (event: ReviewQueueEvent | StreamEnded) => {
      if (event instanceof StreamEnded) throw event.error;
      return toReviewItemModel(event.reviewQueueChanged);
    },
  })
  async reviewQueueChanged(
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: RequestWithPrincipal,
    @Args('filter', {
      type: () => ReviewQueueFilter,
      nullable: true,
      description: 'The view of the queue to follow; omitted: the pending items of your boards.',
    })
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
