import {
  buildSchema,
  execute,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  parse,
} from 'graphql';
import { preferPrefilled, selectsPath } from './prefilled-fields';

const schema = () =>
  buildSchema(`
    type Thread { id: ID! viewerVote: Int! }
    type Edge { node: Thread! }
    type Connection { edges: [Edge!]! }
    type Query { threads: Connection! }
  `);

/** Runs `query` and answers what `selectsPath` said at `threads`. */
async function selects(query: string, path: readonly string[]): Promise<boolean> {
  const s = schema();
  let seen: boolean | undefined;
  const threads: GraphQLFieldResolver<unknown, unknown> = (
    _s,
    _a,
    _c,
    info: GraphQLResolveInfo,
  ) => {
    seen = selectsPath(info, path);
    return { edges: [] };
  };
  s.getQueryType()!.getFields().threads.resolve = threads;
  const result = await execute({ schema: s, document: parse(query) });
  expect(result.errors).toBeUndefined();
  return seen!;
}

describe('selectsPath', () => {
  const path = ['edges', 'node', 'viewerVote'];

  it('finds a field selected directly, under an alias', async () => {
    expect(await selects('{ threads { edges { node { id viewerVote } } } }', path)).toBe(true);
    expect(await selects('{ threads { edges { node { v: viewerVote } } } }', path)).toBe(true);
  });

  it('finds it through inline and named fragments', async () => {
    expect(
      await selects(
        '{ threads { edges { ... on Edge { node { ... on Thread { viewerVote } } } } } }',
        path,
      ),
    ).toBe(true);
    expect(
      await selects(
        'query { threads { ...C } } fragment C on Connection { edges { node { ...T } } } fragment T on Thread { viewerVote }',
        path,
      ),
    ).toBe(true);
  });

  it('is false when the field is not under that path', async () => {
    expect(await selects('{ threads { edges { node { id } } } }', path)).toBe(false);
    expect(
      await selects(
        'query { threads { ...C } } fragment C on Connection { edges { node { id } } }',
        path,
      ),
    ).toBe(false);
  });
});

describe('preferPrefilled', () => {
  it('answers a filled value as a property and resolves an unfilled one as before', async () => {
    const s = schema();
    const calls: string[] = [];
    const fields = (
      s.getType('Thread') as unknown as {
        getFields(): Record<string, { resolve?: GraphQLFieldResolver<{ id: string }, unknown> }>;
      }
    ).getFields();
    fields.viewerVote.resolve = (thread) => {
      calls.push(thread.id);
      return -1;
    };
    preferPrefilled(s, 'Thread', ['viewerVote']);
    s.getQueryType()!.getFields().threads.resolve = () => ({
      edges: [
        { node: { id: 'a', viewerVote: 1 } },
        { node: { id: 'b' } },
        { node: { id: 'c', viewerVote: 0 } },
      ],
    });
    const result = await execute({
      schema: s,
      document: parse('{ threads { edges { node { id viewerVote } } } }'),
    });
    expect(result).toEqual({
      data: {
        threads: {
          edges: [
            { node: { id: 'a', viewerVote: 1 } },
            { node: { id: 'b', viewerVote: -1 } },
            { node: { id: 'c', viewerVote: 0 } },
          ],
        },
      },
    });
    expect(calls).toEqual(['b']);
  });

  it('refuses a field without a resolver (nothing to fall back on)', () => {
    expect(() => preferPrefilled(schema(), 'Thread', ['id'])).toThrow(/no resolver/);
  });
});
