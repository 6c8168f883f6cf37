import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { CurrentPrincipal, PublicRead } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Node } from './node.model';
import { NodeRegistry } from './node-registry';

/** Longer than any id the API gives (UUIDs): answered null without a look at the stores. */
const MAX_ID_LENGTH = 64;

@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @PublicRead()
  @Query(() => Node, {
    nullable: true,
    description:
      'The object with this id (a thread, comment, board, company, poll; review items for moderators, rule set versions for compliance officers); null when missing or not visible to you.',
  })
  async node(
    @Args('id', { type: () => ID, description: 'An id the API gave, such as `Thread.id`.' })
    id: string,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<object | null> {
    if (id.length === 0 || id.length > MAX_ID_LENGTH) return null;
    return this.registry.find(id, { req, principal });
  }
}
