import type { GraphQLSchema } from 'graphql';

/**
 * Descriptions of the root operation types, which code-first decorators cannot describe: set
 * on the built schema (`transformSchema`), so that introspection and schema.gql carry them.
 */
const ROOT_DESCRIPTIONS = {
  query:
    'Reads. Send `Authorization: Bearer <token>` once signed in; visitors may read public boards only when PUBLIC_READ is on (`serverInfo.publicRead`), otherwise reads of the forum answer UNAUTHENTICATED. Staff-only fields say which role they need.',
  mutation:
    'Writes. All but sign-up, sign-in, email codes and password reset need a signed-in account; staff-only fields say which role they need.',
  subscription:
    'Live updates over graphql-ws on /graphql, checked against your session as they come.',
} as const;

export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  };
  for (const [kind, type] of Object.entries(roots) as [
    keyof typeof roots,
    (typeof roots)[keyof typeof roots],
  ][]) {
    if (type != null) type.description = ROOT_DESCRIPTIONS[kind];
  }
  return schema;
}
