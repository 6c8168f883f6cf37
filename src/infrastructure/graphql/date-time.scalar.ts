import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLISODateTime } from '@nestjs/graphql';

/**
 * The `DateTime` scalar of @nestjs/graphql (same name, description and output), with one
 * difference: a value that is not a date-time string (a boolean, an object, a list) is
 * refused while the request is checked, as GraphQL refuses any value of the wrong type. The
 * library's scalar read such a literal as null, so a required date reached its resolver as
 * null (INTERNAL_SERVER_ERROR). Strings and numbers are read as before (`new Date(value)`);
 * an impossible date stays an Invalid Date that the services refuse with BAD_USER_INPUT.
 */
export const DateTimeScalar = new GraphQLScalarType<Date | null, string | null>({
  name: GraphQLISODateTime.name,
  description: GraphQLISODateTime.description,
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseValue(value) {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new GraphQLError('A DateTime must be a date-time string.');
    return new Date(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('A DateTime must be a date-time string.');
    return new Date(ast.value);
  },
});
