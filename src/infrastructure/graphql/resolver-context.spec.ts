import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { GqlExecutionContext } from '@nestjs/graphql';
import { buildSchema, graphql } from 'graphql';
import { resolverContextOf } from './resolver-context';

/** The arguments graphql-js hands to a field resolver and to a resolveType, from a real run. */
async function resolverArguments() {
  const schema = buildSchema(`
    interface Named { name: String }
    type Cat implements Named { name: String }
    type Query { pet: Named }
  `);
  let fieldArgs: unknown[] = [];
  let typeArgs: unknown[] = [];
  (schema.getType('Named') as { resolveType?: unknown }).resolveType = (...args: unknown[]) => {
    typeArgs = args;
    return 'Cat';
  };
  const contextValue = { req: { id: 'request' }, res: { id: 'response' } };
  const result = await graphql({
    schema,
    source: '{ pet { name } }',
    contextValue,
    rootValue: {
      pet: (...args: unknown[]) => {
        fieldArgs = [undefined, ...args.slice(0, 3)];
        return { name: 'Tom' };
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return { contextValue, fieldArgs, typeArgs };
}

function executionContext(args: unknown[]) {
  const sut = new ExecutionContextHost(args, class Resolver {}, function handler() {});
  sut.setType('graphql');
  return sut;
}

describe('resolverContextOf', () => {
  it("reads a field resolver's GraphQL context as GqlExecutionContext does", async () => {
    const { contextValue, fieldArgs } = await resolverArguments();
    const context = executionContext(fieldArgs);
    expect(resolverContextOf(context)).toBe(contextValue);
    expect(resolverContextOf(context)).toBe(GqlExecutionContext.create(context).getContext());
  });

  it('leaves the other shapes (resolveType: value, context, info, type) to GqlExecutionContext', async () => {
    const { contextValue, typeArgs } = await resolverArguments();
    expect(typeArgs).toHaveLength(4);
    const context = executionContext(typeArgs);
    expect(resolverContextOf(context)).toBe(GqlExecutionContext.create(context).getContext());
    expect(resolverContextOf(context)).toBe(contextValue);
  });
});
