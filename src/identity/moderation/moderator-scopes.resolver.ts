import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Roles } from '../../infrastructure/auth/auth.decorators';
import { Role } from '../../infrastructure/auth/role';
import { ModeratorScopesService } from './moderator-scopes.service';

@Resolver()
export class ModeratorScopesResolver {
  constructor(private readonly scopes: ModeratorScopesService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, {
    description:
      "Limits a moderator's queues to one company's board; companyId null lifts the limit (all boards).",
  })
  async scopeModerator(
    @Args('email') email: string,
    @Args('companyId', { type: () => ID, nullable: true }) companyId: string | null,
  ): Promise<boolean> {
    await this.scopes.scope(email, companyId ?? null);
    return true;
  }
}
