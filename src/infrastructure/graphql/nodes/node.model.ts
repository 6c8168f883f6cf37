import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** The GraphQL type name a value returned by `node(id:)` carries, for `resolveType`. */
export const NODE_TYPE = '__typename';

/**
 * Relay's object identification: every object the API gives by a stable id implements it, and
 * `node(id:)` fetches it again by that id (the ids the API already gives, not new global ids).
 */
@InterfaceType('Node', {
  description:
    'An object with a stable id: `node(id:)` fetches it again (null when missing or not visible).',
  resolveType: (value: Record<string, unknown>) => value[NODE_TYPE] as string | undefined,
})
export abstract class Node {
  @Field(() => ID, {
    description: 'The stable id; pass it to `node(id:)` to fetch the object again.',
  })
  id!: string;
}
