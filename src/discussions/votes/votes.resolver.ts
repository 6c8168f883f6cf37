import { Args, Context, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { VoteRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { toContentModel } from '../content.model';
import { VotePayload } from './vote-payload.model';
import { type CastVote, VotesService } from './votes.service';

/** The arguments `vote` and `setVote` share. */
const CONTENT_ID_ARG = {
  type: () => ID,
  description: 'The thread or comment (`Thread.id`, `Comment.id`); not your own.',
};
const VALUE_ARG = { type: () => Int, description: '1 up, -1 down, 0 withdraws your vote.' };

@Resolver()
export class VotesResolver {
  constructor(
    private readonly votes: VotesService,
    private readonly policy: ContentPolicy,
  ) {}

  @VoteRateLimited()
  @Mutation(() => Int, {
    description: 'Votes on a thread or comment: 1 up, -1 down, 0 withdraws. Returns the new score.',
  })
  async vote(
    @Args('contentId', CONTENT_ID_ARG) contentId: string,
    @Args('value', VALUE_ARG) value: number,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
  ): Promise<number> {
    return (await this.cast(principal, contentId, value, req)).score;
  }

  @VoteRateLimited()
  @Mutation(() => VotePayload, {
    description:
      'Votes as `vote` does (1 up, -1 down, 0 withdraws; the same checks, limits and errors) and returns the thread or comment with its new score and your vote.',
  })
  async setVote(
    @Args('contentId', CONTENT_ID_ARG) contentId: string,
    @Args('value', VALUE_ARG) value: number,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
  ): Promise<VotePayload> {
    const { score, target } = await this.cast(principal, contentId, value, req);
    // One's own post cannot be voted on, so the voter is never its author.
    return { content: toContentModel(target, false), score, viewerVote: value };
  }

  private cast(
    principal: Principal,
    contentId: string,
    value: number,
    req: Request,
  ): Promise<CastVote> {
    return this.votes.vote(
      principal,
      contentId,
      value,
      this.policy.viewerJurisdictions(principal, req),
    );
  }
}
