import { createTestApp, type TestApp } from '../utils/test-app';
import { ProbeModule } from '../utils/probe.module';

describe('Error mapping', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({}, [ProbeModule]);
  });
  afterAll(async () => sut.close());

  it('gives a feature exception its stable code, message and public details', async () => {
    const res = await sut.gql('{ probe(mode: "app-error") }');
    expect(res.status).toBe(200);
    expect(res.errors?.[0]).toMatchObject({
      message: 'That was taken.',
      path: ['probe'],
      extensions: { code: 'CONFLICT', hint: 'retry' },
    });
  });

  it('turns an unknown error into INTERNAL_SERVER_ERROR with the request id, hiding the internals', async () => {
    const res = await sut.gql('{ probe(mode: "crash") }');
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.status).toBe(200);
    const error = res.errors?.[0];
    expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
    expect(error?.message).toBe(`Internal server error (request ${requestId}).`);
    expect(JSON.stringify(res)).not.toMatch(/hunter2|secret internal|stack|\.ts:/);
  });

  it('gives each request its own server-generated id, ignoring one sent by the client', async () => {
    const a = await sut.gql('{ __typename }', undefined, { 'x-request-id': 'client-chosen' });
    const b = await sut.gql('{ __typename }');
    expect(a.headers.get('x-request-id')).not.toBe('client-chosen');
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('maps input validation failures to BAD_USER_INPUT naming the fields', async () => {
    const res = await sut.gql(
      'mutation { probeInput(input: { address: "not-an-email", note: "far too long" }) }',
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.fields).toEqual(['address', 'note']);
    expect(res.errors?.[0]?.message).toMatch(/address must be an email address/);
    expect(res.errors?.[0]?.message).toMatch(/note must be at most 5 characters/);
  });

  it('maps a wrongly typed variable to BAD_USER_INPUT', async () => {
    const res = await sut.gql('query ($ms: Int!) { slow(ms: $ms) }', { ms: 'soon' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('maps an unknown field to GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await sut.gql('{ nothingHere }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('maps a syntax error to GRAPHQL_PARSE_FAILED', async () => {
    const res = await sut.gql('{ probe(');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('never answers with a stack trace', async () => {
    for (const query of ['{ probe(mode: "crash") }', '{ probe(', '{ nothingHere }']) {
      const res = await sut.gql(query);
      for (const error of res.errors ?? []) {
        expect(error.extensions).not.toHaveProperty('stacktrace');
        expect(error.extensions).not.toHaveProperty('exception');
      }
    }
  });

  it('refuses an argument over its size cap with BAD_USER_INPUT naming it and its limit', async () => {
    const id = 'a'.repeat(100_000);
    for (const res of [
      await sut.gql('query ($id: ID!) { thread(id: $id) { id } }', { id }),
      await sut.gql(`{ home(first: 1, after: "${'x'.repeat(5_000)}") { edges { cursor } } }`),
    ]) {
      expect(res.status).toBe(400);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [expect.any(String)],
        limit: expect.any(Number),
      });
      expect(res.errors?.[0]?.message).toMatch(
        /^(id|after) must be at most (64|1024) characters\.$/,
      );
    }
  });

  it('maps a literal of the wrong type for a DateTime argument to a stable code (regression)', async () => {
    // A boolean or an object where a DateTime literal belongs was INTERNAL_SERVER_ERROR.
    for (const literal of ['true', '{ a: "b" }', '[]', 'DE']) {
      const res = await sut.gql(
        `{ transparencyReport(from: ${literal}, to: "2026-01-01T00:00:00Z") { __typename } }`,
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    const res = await sut.gql(
      'query ($from: DateTime!) { transparencyReport(from: $from, to: "2026-01-01T00:00:00Z") { __typename } }',
      { from: { a: 'b' } },
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('maps an unknown operationName to BAD_REQUEST (regression)', async () => {
    // Apollo's own OPERATION_RESOLUTION_FAILURE is not one of the stable codes.
    const res = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }),
    });
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: object }> };
    expect(res.status).toBe(400);
    expect(body.errors).toEqual([
      { message: 'Unknown operation named "B".', extensions: { code: 'BAD_REQUEST' } },
    ]);
  });
});
