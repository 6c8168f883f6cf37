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
