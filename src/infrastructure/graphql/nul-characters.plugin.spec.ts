import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { parse, type DocumentNode } from 'graphql';
import { combinedPlugin } from './combined.plugin';
import { nulCharactersChecks } from './nul-characters.plugin';

/** Runs the plugin's check as Apollo would for one request; the error's code, or 'OK'. */
async function check(document: DocumentNode, variables: Record<string, unknown> = {}) {
  const sut = combinedPlugin([nulCharactersChecks]);
  const listener = await sut.requestDidStart!({} as never);
  try {
    await listener!.didResolveOperation!({
      request: { variables },
      document,
    } as unknown as GraphQLRequestContextDidResolveOperation<Record<string, never>>);
    return 'OK';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
}

describe('nulCharactersChecks', () => {
  it('refuses a NUL in a literal on every request of the same parsed document', async () => {
    const document = parse('{ thread(id: "a\\u0000b") { id } }');
    expect(await check(document)).toBe('BAD_USER_INPUT');
    expect(await check(document)).toBe('BAD_USER_INPUT');
  });

  it('checks the variables of each request, whatever it found in the document before', async () => {
    const document = parse('query ($id: ID!) { thread(id: $id) { id } }');
    expect(await check(document, { id: 'clean' })).toBe('OK');
    expect(await check(document, { id: 'a\u0000b' })).toBe('BAD_USER_INPUT');
    expect(await check(document, { nested: [{ ['k\u0000']: 1 }] })).toBe('BAD_USER_INPUT');
    expect(await check(document, { id: 'clean' })).toBe('OK');
  });
});
