import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { combinedPlugin, type RequestHooksFactory } from './combined.plugin';

const typeDefs = 'type Query { hello: String }';
const resolvers = { Query: { hello: () => 'world' } };

/** A real Apollo Server with `plugins`; runs `query` and returns the single result. */
async function run(plugins: ApolloServerPlugin[], query = '{ hello }') {
  const server = new ApolloServer({ typeDefs, resolvers, plugins });
  await server.start();
  try {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { http: response.http, result: response.body.singleResult };
  } finally {
    await server.stop();
  }
}

describe('combinedPlugin', () => {
  it('runs each part in order, with state of its own per request', async () => {
    const seen: string[] = [];
    const part =
      (name: string): RequestHooksFactory<BaseContext> =>
      () => {
        const started = seen.length;
        return {
          didResolveOperation: () => void seen.push(`${name}:resolve`),
          willSendResponse: () => void seen.push(`${name}:send@${started}`),
        };
      };
    const sut = combinedPlugin([part('a'), part('b')]);
    expect((await run([sut])).result.data).toEqual({ hello: 'world' });
    expect(seen).toEqual(['a:resolve', 'b:resolve', 'a:send@0', 'b:send@0']);
    seen.length = 0;
    await run([sut]);
    expect(seen).toEqual(['a:resolve', 'b:resolve', 'a:send@0', 'b:send@0']);
  });

  it('answers with the first check that refuses, before any resolver, and skips the checks after it', async () => {
    const seen: string[] = [];
    const hello = jest.fn(() => 'world');
    const refusing: RequestHooksFactory<BaseContext> = () => ({
      didResolveOperation: () => {
        seen.push('refusing');
        throw new GraphQLError('No.', {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      },
    });
    const later: RequestHooksFactory<BaseContext> = () => ({
      didResolveOperation: () => void seen.push('later'),
      willSendResponse: ({ response }) => {
        // The parts that write the answer still see the refusal.
        if (response.body.kind === 'single')
          seen.push(`sent ${String(response.body.singleResult.errors?.[0]?.extensions?.code)}`);
      },
    });
    const server = new ApolloServer({
      typeDefs,
      resolvers: { Query: { hello } },
      plugins: [combinedPlugin([refusing, later])],
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ hello }' });
      expect(response.http.status).toBe(400);
      expect(response.body.kind === 'single' && response.body.singleResult.errors).toEqual([
        expect.objectContaining({ message: 'No.', extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
    } finally {
      await server.stop();
    }
    expect(hello).not.toHaveBeenCalled();
    expect(seen).toEqual(['refusing', 'sent BAD_USER_INPUT']);
  });

  it('lets a part change the answer the parts after it see', async () => {
    const setsStatus: RequestHooksFactory<BaseContext> = () => ({
      willSendResponse: ({ response }) => {
        response.http.status = 299;
      },
    });
    let statusSeen: number | undefined;
    const reads: RequestHooksFactory<BaseContext> = () => ({
      willSendResponse: ({ response }) => {
        statusSeen = response.http.status;
      },
    });
    const { http } = await run([combinedPlugin([setsStatus, reads])]);
    expect(statusSeen).toBe(299);
    expect(http.status).toBe(299);
  });
});
