import { createTestApp, type TestApp } from '../utils/test-app';
import { ProbeModule } from '../utils/probe.module';

describe('Rate limiting', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_SECONDS: '60' }, [
      ProbeModule,
    ]);
  });
  afterAll(async () => sut.close());

  it('answers RATE_LIMITED once a client exceeds its budget, and not before', async () => {
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await sut.gql<{ probe: string }>('{ probe }'));
    expect(results.slice(0, 5).map((r) => r.data?.probe)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    for (const limited of results.slice(5)) {
      expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    }
  });

  it('never rate-limits the health checks', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${sut.url}/health/live`)).status).toBe(200);
    }
  });
});

describe('Rate-limit answers on a shared client address', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_SECONDS: '60' }, [
      ProbeModule,
    ]);
  });
  afterAll(async () => sut.close());

  /** Everyone here speaks from 127.0.0.1, like colleagues behind one office address. */
  const probe = async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ probe }' }),
    });
    const limits = [...response.headers.keys()].filter((name) =>
      /^(x-ratelimit|retry-after)/i.test(name),
    );
    const body = (await response.json()) as {
      errors?: Array<{ extensions?: Record<string, unknown> }>;
    };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      limits,
      extensions: body.errors?.[0]?.extensions,
    };
  };

  it("shows no budget of the address, so nobody sees another person's requests", async () => {
    const mine = await probe();
    // More than a second into the window, which a colleague's request opened.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await probe(); // a colleague
    await probe(); // another one
    const mineAgain = await probe();
    const limited = await probe();
    // Spent: the hint is the whole window, not the time left since someone else's first request.
    expect(limited.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.extensions?.retryAfterSeconds).toBe(60);
    expect(limited.extensions?.budget).toBe('default');
    for (const answer of [mine, mineAgain]) {
      expect(answer.status).toBe(200);
      expect(answer.limits).toEqual([]);
    }
    // Refused: HTTP 429 and Retry-After, the whole window like the hint, and no budget counts.
    expect(limited.status).toBe(429);
    expect(limited.limits).toEqual(['retry-after']);
    expect(limited.retryAfter).toBe('60');
  });
});
