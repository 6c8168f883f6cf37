import { Args, Context, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { VoteRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { VotesService } from './votes.service';

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
  vote(
    @Args('contentId', { type: () => ID }) contentId: string,
    @Args('value', { type: () => Int }) value: number,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
  ): Promise<number> {
    return this.votes.vote(
      principal,
      contentId,
      value,
      this.policy.viewerJurisdictions(principal, req),
    );
  }
}
