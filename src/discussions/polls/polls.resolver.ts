import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { VoteRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { DiscussionLoaders } from '../discussion.loaders';
import { Thread } from '../threads/thread.model';
import { Poll } from './poll.model';
import { PollsService } from './polls.service';

@Resolver(() => Thread)
export class ThreadPollResolver {
  constructor(private readonly loaders: DiscussionLoaders) {}

  @ResolveField(() => Poll, { nullable: true, description: "The thread's poll, if it has one." })
  poll(
    @Parent() thread: Thread,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Poll | null> {
    return this.loaders.poll(req, principal).load(thread.id);
  }
}

@Resolver(() => Poll)
export class PollsResolver {
  constructor(
    private readonly polls: PollsService,
    private readonly policy: ContentPolicy,
  ) {}

  @VoteRateLimited()
  @Mutation(() => Poll, {
    description:
      'Votes in a poll, once (a vote cannot be changed): exactly one option, or one or more distinct options of a multiple-choice poll. Open to whoever may comment in its thread. Returns the poll as you now see it.',
  })
  votePoll(
    @Args('pollId', { type: () => ID, description: 'The poll (`Poll.id`).' }) pollId: string,
    @Args('optionIds', {
      type: () => [ID],
      description: 'The chosen options (`PollOption.id`): one, or several if multiple-choice.',
    })
    optionIds: string[],
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: Request,
  ): Promise<Poll> {
    return this.polls.vote(
      principal,
      pollId,
      optionIds,
      this.policy.viewerJurisdictions(principal, req),
    );
  }
}
