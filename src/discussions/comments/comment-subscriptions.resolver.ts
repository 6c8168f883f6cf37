import { Inject } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { ContentAccessPolicy, ContentAction } from '../access/content-access.policy';
import { ContentAccess } from '../access/content-access.service';
import type { Request } from 'express';
import { BoardsService } from '../../boards/boards.service';
import { UnauthenticatedException } from '../../common/errors';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import {
  bearerTokenOf,
  CurrentPrincipal,
  PublicRead,
  type RequestWithPrincipal,
} from '../../infrastructure/auth/auth.decorators';
import {
  PRINCIPAL_RESOLVER,
  type Principal,
  type PrincipalResolver,
} from '../../infrastructure/auth/principal';
import { PUB_SUB, type PubSubEngine } from '../../infrastructure/events/pub-sub.module';
import {
  screenedEvents,
  StreamEnded,
  type Screening,
} from '../../infrastructure/events/screened-events';
import { AuthorIdentityService } from '../author-identity.service';
import { ContentStatus } from '../../posts/content-status';
import { ContentNotFoundException } from '../discussions.exception';
import { ThreadsService } from '../threads/threads.service';
import { commentAddedTopic, type CommentAddedEvent } from './comment-events';
import { toCommentModel } from './comment.mapper';
import { Comment } from './comment.model';

@Resolver(() => Comment)
export class CommentSubscriptionsResolver {
  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly threads: ThreadsService,
    private readonly authors: AuthorIdentityService,
    private readonly policy: ContentPolicy,
    private readonly access: ContentAccess,
    private readonly boards: BoardsService,
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
  ) {}

  /** Readers of a thread (members, or visitors under PUBLIC_READ) follow its new comments. */
  @PublicRead()
  @Subscription(() => Comment, {
    description:
      'New comments of a thread you can read, as they are posted (graphql-ws on /graphql). On a company board the stream ends with NOT_FOUND once you are no longer a current member (leaveCompany), or UNAUTHENTICATED when the session ends.',
    filter(
      this: CommentSubscriptionsResolver,
      event: CommentAddedEvent | StreamEnded,
      _args: unknown,
      context: { req?: RequestWithPrincipal },
    ) {
      if (event instanceof StreamEnded) return true;
      // ContentAccessPolicy's LIST for the new comment. The thread was visible and live when
      // the subscription started, and a held comment is never published here.
      const principal = context.req?.principal;
      const hidden = new Set(event.withheldIn);
      const withheld =
        hidden.size > 0 &&
        this.policy.viewerJurisdictions(principal, context.req).some((code) => hidden.has(code));
      const threadAuthor =
        principal !== undefined &&
        this.authors.authorToken(principal, event.commentAdded.threadId) ===
          event.threadAuthorToken;
      return (
        ContentAccessPolicy.decide(ContentAction.LIST, {
          kind: 'COMMENT',
          status: event.commentAdded.status,
          threadStatus: ContentStatus.PUBLISHED,
          boardReadable: true,
          boardPostable: false,
          author: this.access.wroteComment(principal, event.commentAdded),
          threadAuthor,
          staff: this.policy.seesNoticesOfOthers(principal),
          withheld,
          threadWithheld: false,
          restricted: false,
        }) === null
      );
    },
    resolve(
      this: CommentSubscriptionsResolver,
      event: CommentAddedEvent | StreamEnded,
      _args: unknown,
      context: { req?: RequestWithPrincipal },
    ) {
      if (event instanceof StreamEnded) throw event.error;
      const isViewer = this.access.wroteComment(context.req?.principal, event.commentAdded);
      return toCommentModel(event.commentAdded, event.threadAuthorToken, isViewer);
    },
  })
  async commentAdded(
    @Args('threadId', { type: () => ID, description: 'The thread to watch (`Thread.id`).' })
    threadId: string,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<AsyncIterableIterator<CommentAddedEvent | StreamEnded>> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.threads.visible(threadId, principal, jurisdictions);
    if (thread === null || thread.status !== ContentStatus.PUBLISHED)
      throw new ContentNotFoundException('thread');
    const events = this.pubSub.asyncIterableIterator<CommentAddedEvent>(
      commentAddedTopic(threadId),
    );
    const board = await this.boards.byId(thread.boardId);
    if (principal === undefined || board?.kind !== 'COMPANY') return events;
    // A company board is read by current members only: every event is checked against the
    // session and its memberships as they are now, so leaving the company (on any instance)
    // or signing out ends the stream before another comment reaches it.
    const token = bearerTokenOf(req);
    return screenedEvents(events, async (): Promise<Screening> => {
      const current = await this.principals.resolve(token);
      if (current === null)
        return new StreamEnded(new UnauthenticatedException('Your session has ended.'));
      return (await this.boards.canRead(board, current))
        ? 'deliver'
        : new StreamEnded(new ContentNotFoundException('thread'));
    });
  }
}
