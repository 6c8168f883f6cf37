import { createTestApp, type TestApp } from '../utils/test-app';
import { ProbeModule, probeCalls } from '../utils/probe.module';
import { waitFor } from '../utils/wait';

describe('Operations endpoints', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' }, [ProbeModule]);
  });
  afterAll(async () => sut.close());

  it('reports liveness', async () => {
    const response = await fetch(`${sut.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness of both stores', async () => {
    const response = await fetch(`${sut.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      info: Record<string, { status: string }>;
    };
    expect(body.status).toBe('ok');
    expect(body.info.identity?.status).toBe('up');
    expect(body.info.content?.status).toBe('up');
  });

  it('refuses /metrics without the configured token', async () => {
    expect((await fetch(`${sut.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${sut.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456788' },
    });
    expect(wrong.status).toBe(401);
  });

  it('keeps /metrics closed when no token is configured: 404, like any unknown path', async () => {
    const closed = await createTestApp({ METRICS_TOKEN: '' });
    try {
      const response = await fetch(`${closed.url}/metrics`);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toMatch(/graphql_requests_total|process_/);
      const unknown = await fetch(`${closed.url}/no-such-path`);
      expect(unknown.status).toBe(404);
      expect(text).toBe((await unknown.text()).replace('/no-such-path', '/metrics'));
      const tried = await fetch(`${closed.url}/metrics`, {
        headers: { authorization: 'Bearer undefined' },
      });
      expect(tried.status).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('counts operations that call staff-only fields together as "staff", never by their name', async () => {
    await sut.gql('query ModeratorQueueWatch { reviewQueue(first: 1) { edges { cursor } } }');
    await sut.gql('query OfficerRuleSets { jurisdictions { code ruleSets { id } } }');
    await sut.gql('query staff { probe }');
    const text = await (
      await fetch(`${sut.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      })
    ).text();
    expect(text).not.toMatch(/ModeratorQueueWatch|OfficerRuleSets/);
    expect(text).toMatch(
      /graphql_requests_total\{operation="staff",type="query",outcome="error"\} 2/,
    );
    // A client cannot pass its own operations off as staff ones.
    expect(text).toMatch(/graphql_requests_total\{operation="other",type="query",outcome="ok"\} 1/);
  });

  it('counts GraphQL requests and latency by operation name', async () => {
    await sut.gql('query HomeFeed { probe }');
    await sut.gql('query HomeFeed { probe(mode: "crash") }');
    const response = await fetch(`${sut.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /graphql_requests_total\{operation="HomeFeed",type="query",outcome="ok"\} 1/,
    );
    expect(text).toMatch(
      /graphql_requests_total\{operation="HomeFeed",type="query",outcome="error"\} 1/,
    );
    expect(text).toMatch(
      /graphql_request_duration_seconds_count\{operation="HomeFeed",type="query"\} 2/,
    );
    expect(text).toMatch(/process_resident_memory_bytes/);
  });
});

describe('Graceful shutdown', () => {
  it('finishes an in-flight request before closing', async () => {
    const sut = await createTestApp({}, [ProbeModule]);
    const started = probeCalls.count;
    const inFlight = sut.gql<{ slow: string }>('{ slow(ms: 400) }');
    await waitFor('the slow request to reach its resolver', () => probeCalls.count > started);
    const closing = sut.close();
    const res = await inFlight;
    await closing;
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ slow: 'done' });
    await expect(fetch(`${sut.url}/health/live`)).rejects.toThrow();
  });
});
