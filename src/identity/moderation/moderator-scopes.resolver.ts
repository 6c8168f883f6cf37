import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { AuditTrail } from '../../audit/audit-trail.service';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { ModeratorScopesService } from './moderator-scopes.service';

@Resolver()
export class ModeratorScopesResolver {
  constructor(
    private readonly scopes: ModeratorScopesService,
    private readonly audit: AuditTrail,
  ) {}

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, {
    description:
      "Admins only. Limits a moderator's queues to one company's board; companyId null lifts the limit (all boards).",
  })
  async scopeModerator(
    @Args('email', { description: "The moderator's sign-in address." }) email: string,
    @Args('companyId', {
      type: () => ID,
      nullable: true,
      description: 'The company whose board the moderator keeps; null for every board.',
    })
    companyId: string | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.scopes.scope(email, companyId ?? null, this.audit.actor(principal, Role.ADMIN));
    return true;
  }
}
