import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

/**
 * The GraphQL context (`{ req, res }`) of a resolver's execution context, as
 * `GqlExecutionContext.create(context).getContext()` returns it.
 *
 * A field resolver's arguments are `(root, args, context, info)`, with graphql-js's `info`
 * (which has a `fieldName`) last: then the context is the third. Other shapes (a resolveType,
 * a federation reference resolver) go through GqlExecutionContext, which tells them apart with
 * graphql-js's `isType` — a chain of `instanceOf` checks, ≈ 2 µs per call outside production,
 * paid by both global guards and every parameter decorator on every root field; that is why
 * the common shape is read here directly.
 */
export function resolverContextOf<T>(context: ExecutionContext): T {
  const args = context.getArgs<unknown[]>();
  const info = args[3] as { fieldName?: unknown } | null | undefined;
  if (args.length === 4 && typeof info?.fieldName === 'string') return args[2] as T;
  return GqlExecutionContext.create(context).getContext<T>();
}
