import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Viewer } from '../accounts/viewer.model';
import { ViewerService } from '../accounts/viewer.service';
import { Membership } from './membership.model';
import { MembershipsService } from './memberships.service';

@Resolver(() => Membership)
export class EmployerVerificationResolver {
  constructor(
    private readonly memberships: MembershipsService,
    private readonly viewers: ViewerService,
  ) {}

  @Mutation(() => Membership, {
    description: 'Proves employment with the code sent (by requestEmailCode) to a work address.',
  })
  async verifyEmployer(
    @Args('email', { description: 'The work address the code was sent to.' }) email: string,
    @Args('code', { description: 'The one-time code from the mail.' }) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Membership> {
    const membership = await this.memberships.verify(principal.accountId, email, code);
    const [model] = await this.viewers.toMemberships([membership]);
    return model;
  }

  @Mutation(() => Viewer, {
    description:
      'Ends your membership at the company at once: it turns FORMER, the company board closes to you, and your past posts keep their labels.',
  })
  async leaveCompany(
    @Args('companyId', { type: () => ID, description: 'The company to leave (`Company.id`).' })
    companyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Viewer> {
    await this.memberships.leave(principal.accountId, companyId);
    return this.viewers.viewer(principal.accountId);
  }
}
