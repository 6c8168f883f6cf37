import { ProbeModule } from '../utils/probe.module';
import { createTestApp, type TestApp } from '../utils/test-app';

/**
 * What an HTTP POST may carry: queries and mutations. A subscription sent over HTTP and an
 * operationName naming no operation of the document are refused as requests, before any
 * resolver runs, whoever sends them.
 */
describe('Operations over HTTP', () => {
  let sut: TestApp;

  beforeAll(async () => {
    // The visitor cache on, as in production: it looks at signed-out reads first.
    sut = await createTestApp({ VISITOR_CACHE_MS: '1000' }, [ProbeModule]);
  });
  afterAll(async () => sut.close());

  const post = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      body: JSON.parse(text) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  it.each([
    ['a visitor', {}],
    ['a bearer of a token', { authorization: `Bearer ${'x'.repeat(43)}` }],
  ])('refuses a subscription sent by %s over HTTP, before its resolver', async (_who, headers) => {
    for (const query of [
      'subscription { reviewQueueChanged { id } }',
      'subscription ($t: ID!) { commentAdded(threadId: $t) { id } }',
    ]) {
      const answer = await post(
        { query, variables: { t: '00000000-0000-4000-8000-000000000000' } },
        headers,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
      expect(answer.body.errors?.[0]?.message).toMatch(/WebSocket/);
      expect(answer.text).not.toMatch(/INTERNAL_SERVER_ERROR|stack/);
    }
  });

  it.each([
    ['a visitor', {}],
    ['a bearer of a token', { authorization: `Bearer ${'x'.repeat(43)}` }],
  ])(
    'answers %s whose operationName names no operation with a request error',
    async (_who, headers) => {
      for (const body of [
        { query: 'query Boards { boards { id } }', operationName: 'Nope' },
        { query: 'query A { boards { id } } query B { thread(id: "x") { id } }' },
      ]) {
        const answer = await post(body, headers);
        expect(answer.status).toBe(400);
        // Apollo's own OPERATION_RESOLUTION_FAILURE is answered as the stable BAD_REQUEST.
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
        expect(answer.text).not.toMatch(/INTERNAL_SERVER_ERROR|stack/);
      }
    },
  );
});
