import { getIntrospectionQuery } from 'graphql';
import { createTestApp, type TestApp } from '../utils/test-app';
import { ProbeModule, probeCalls } from '../utils/probe.module';

describe('GraphQL hardening', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({}, [ProbeModule]);
  });
  afterAll(async () => sut.close());
  beforeEach(() => {
    probeCalls.count = 0;
  });

  it('answers { __typename } on /graphql', async () => {
    const res = await sut.gql('{ __typename }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a query nested 50 deep before any resolver runs', async () => {
    let selection = 'name';
    for (let i = 0; i < 50; i++) selection = `child { ${selection} }`;
    const res = await sut.gql(`{ probe probeTree { ${selection} } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.map((e) => e.message).join(' ')).toMatch(
      /depth limit of 12 exceeded, found 52/i,
    );
    expect(res.data ?? null).toBeNull();
    expect(probeCalls.count).toBe(0);
  });

  it('refuses a query with 1,000 aliases before any resolver runs', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: probe`).join(' ');
    const res = await sut.gql(`{ ${aliases} }`);
    // 1,000 aliases are 3,000 tokens: the token limit refuses it even before the alias limit.
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/tokens/i);
    expect(probeCalls.count).toBe(0);
  });

  it('refuses a query over the alias limit even when short enough for the token limit', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: probe`).join(' ');
    const res = await sut.gql(`{ ${aliases} }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
    expect(probeCalls.count).toBe(0);
  });

  it('refuses a 2 MB body with PAYLOAD_TOO_LARGE before GraphQL sees it', async () => {
    const padding = 'x'.repeat(2 * 1024 * 1024);
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ probe } # ${padding}` }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(probeCalls.count).toBe(0);
  });

  it('answers malformed JSON with a GraphQL-shaped BAD_REQUEST, not an HTML page', async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
  });

  it('accepts the standard introspection query that tools send', async () => {
    const res = await sut.gql(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data).toHaveProperty('__schema');
  });

  it('refuses a too-long token stream while parsing it', async () => {
    const fields = Array.from({ length: 3000 }, () => '__typename').join(' ');
    const res = await sut.gql(`{ ${fields} }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/token/i);
  });

  it('refuses a simple cross-site form POST (CSRF prevention)', async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ probe }' }),
    });
    expect(response.status).toBe(400);
    expect(probeCalls.count).toBe(0);
  });

  it('refuses a GET query without a preflight header (CSRF prevention)', async () => {
    const response = await fetch(`${sut.url}/graphql?query=${encodeURIComponent('{ probe }')}`);
    expect(response.status).toBe(400);
    expect(probeCalls.count).toBe(0);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ probe }' }, { query: '{ probe }' }]),
    });
    expect(response.status).toBe(400);
    expect(probeCalls.count).toBe(0);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const response = await fetch(`${sut.url}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(response.headers.get('x-frame-options')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows introspection and suggestions outside production by default', async () => {
    const res = await sut.gql('{ __schema { queryType { name } } }');
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await sut.gql('{ prob }');
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean/);
  });
});

describe('GraphQL hardening in production', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' }, [
      ProbeModule,
    ]);
  });
  afterAll(async () => sut.close());

  it('refuses introspection', async () => {
    const res = await sut.gql('{ __schema { queryType { name } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('gives no field suggestions', async () => {
    const res = await sut.gql('{ prob }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(res.errors?.[0]?.message).not.toMatch(/probe/);
  });

  it('sends a content security policy', async () => {
    const response = await fetch(`${sut.url}/health/live`);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});
