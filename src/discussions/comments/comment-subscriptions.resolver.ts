import { Inject } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { ContentAccessPolicy, ContentAction } from '../access/content-access.policy';
import { ContentAccess } from '../access/content-access.service';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import {
  CurrentPrincipal,
  Public,
  type RequestWithPrincipal,
} from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { PUB_SUB, type PubSubEngine } from '../../infrastructure/events/pub-sub.module';
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
  ) {}

  /** Readers of a thread (members, or visitors under PUBLIC_READ) follow its new comments. */
  @Public()
  @Subscription(() => Comment, {
    description:
      'New comments of a thread you can read, as they are posted (graphql-ws on /graphql).',
    filter(
      this: CommentSubscriptionsResolver,
      event: CommentAddedEvent,
      _args: unknown,
      context: { req?: RequestWithPrincipal },
    ) {
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
      event: CommentAddedEvent,
      _args: unknown,
      context: { req?: RequestWithPrincipal },
    ) {
      const isViewer = this.access.wroteComment(context.req?.principal, event.commentAdded);
      return toCommentModel(event.commentAdded, event.threadAuthorToken, isViewer);
    },
  })
  async commentAdded(
    @Args('threadId', { type: () => ID }) threadId: string,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<AsyncIterableIterator<CommentAddedEvent>> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.threads.visible(threadId, principal, jurisdictions);
    if (thread === null || thread.status !== ContentStatus.PUBLISHED)
      throw new ContentNotFoundException('thread');
    return this.pubSub.asyncIterableIterator<CommentAddedEvent>(commentAddedTopic(threadId));
  }
}
