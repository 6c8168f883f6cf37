import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { PostRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { DiscussionLoaders } from '../discussion.loaders';
import { ContentNotFoundException } from '../discussions.exception';
import { toThreadModel } from '../threads/thread.mapper';
import { Thread } from '../threads/thread.model';
import { ThreadsService } from '../threads/threads.service';
import { toCommentModel } from './comment.mapper';
import { Comment, CommentPayload, CreateCommentInput } from './comment.model';
import { CommentsService } from './comments.service';

@Resolver(() => Comment)
export class CommentsResolver {
  constructor(
    private readonly comments: CommentsService,
    private readonly threads: ThreadsService,
    private readonly loaders: DiscussionLoaders,
    private readonly policy: ContentPolicy,
  ) {}

  @PostRateLimited()
  @Mutation(() => CommentPayload, {
    description:
      'Comments on a live thread you may post on, or replies to one of its top-level comments. Rules may refuse, hold or withhold it: `notices` says which.',
  })
  async createComment(
    @Args('input', { description: 'The new comment.' }) input: CreateCommentInput,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
  ): Promise<CommentPayload> {
    const { comment, thread, labelNotice, notices } = await this.comments.create(
      principal,
      input,
      this.policy.viewerJurisdictions(principal, req),
    );
    return {
      comment: toCommentModel(comment, thread.authorToken, true),
      notices,
      clientMutationId: input.clientMutationId ?? null,
      labelNotice,
    };
  }

  @PostRateLimited()
  @Mutation(() => CommentPayload, {
    description:
      'Author only. Replaces the body of your published comment; the rules judge the new text as they judge a new post.',
  })
  async editComment(
    @Args('id', { type: () => ID, description: 'Your comment (`Comment.id`).' }) id: string,
    @Args('body', { description: 'The new body: 1–10,000 characters.' }) body: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CommentPayload> {
    const { comment, thread, notices } = await this.comments.edit(principal, id, body);
    return {
      comment: toCommentModel(comment, thread.authorToken, true),
      notices,
      clientMutationId: null,
      labelNotice: null,
    };
  }

  @Mutation(() => Boolean, { description: 'Author only. The comment stays, empty, as DELETED.' })
  async deleteComment(
    @Args('id', { type: () => ID, description: 'Your comment (`Comment.id`).' }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.comments.delete(principal, id);
    return true;
  }

  @ResolveField(() => Thread, {
    description: 'The thread of the comment; NOT_FOUND when you may not see it.',
  })
  async thread(
    @Parent() comment: Comment,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Thread> {
    const thread = await this.loaders.threadById(req).load(comment.threadId);
    if (
      thread === null ||
      !(await this.threads.mayView(
        thread,
        principal,
        this.policy.viewerJurisdictions(principal, req),
      ))
    ) {
      throw new ContentNotFoundException('thread');
    }
    return toThreadModel(thread, this.threads.isViewer(principal, thread));
  }

  @ResolveField(() => Int, { description: 'Your vote: -1, 0 or 1.' })
  async viewerVote(
    @Parent() comment: Comment,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<number> {
    return principal === undefined ? 0 : this.loaders.viewerVote(req, principal).load(comment.id);
  }

  @ResolveField(() => [ComplianceNotice], {
    description: 'Non-empty only for the author (and staff).',
  })
  async notices(
    @Parent() comment: Comment,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<ComplianceNotice[]> {
    if (!comment.author.isViewer && !this.policy.seesNoticesOfOthers(principal)) return [];
    return this.loaders.notices(req).load(comment.id);
  }
}
