import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('labels requests by operation name', async () => {
    const sut = new MetricsService();
    sut.recordGraphqlRequest('BoardFeed', 'query', 'ok', 0.01);
    expect(await sut.render()).toMatch(
      /graphql_requests_total\{operation="BoardFeed",type="query",outcome="ok"\} 1/,
    );
  });

  it('does not let clients explode the label set', async () => {
    const sut = new MetricsService();
    for (let i = 0; i < 500; i++) sut.recordGraphqlRequest(`Op${i}`, 'query', 'ok', 0.001);
    sut.recordGraphqlRequest('bad name; drop', 'query', 'ok', 0.001);
    sut.recordGraphqlRequest(undefined, 'query', 'ok', 0.001);
    const text = await sut.render();
    const names = new Set(
      [...text.matchAll(/graphql_requests_total\{operation="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(names.size).toBe(202); // 200 named + "other" + "anonymous"
    expect(names.has('other')).toBe(true);
    expect(names.has('anonymous')).toBe(true);
  });
});

describe('MetricsService staff operations', () => {
  it('counts staff operations under one label, and no client operation as staff', async () => {
    const sut = new MetricsService();
    sut.recordGraphqlRequest('DecideReviewItem', 'mutation', 'ok', 0.01, { staff: true });
    sut.recordGraphqlRequest('ReviewQueue', 'query', 'ok', 0.01, { staff: true });
    sut.recordGraphqlRequest('staff', 'query', 'ok', 0.01);
    const text = await sut.render();
    expect(text).not.toMatch(/DecideReviewItem|ReviewQueue/);
    expect(text).toMatch(
      /graphql_requests_total\{operation="staff",type="mutation",outcome="ok"\} 1/,
    );
    expect(text).toMatch(/graphql_requests_total\{operation="staff",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/graphql_requests_total\{operation="other",type="query",outcome="ok"\} 1/);
  });
});

describe('MetricsService refusals', () => {
  it('labels errors by code and rate-limit refusals by budget, nothing a client chose', async () => {
    const sut = new MetricsService();
    sut.countGraphqlErrors([
      { extensions: { code: 'RATE_LIMITED', budget: 'sign-in-ip' } },
      { extensions: { code: 'RATE_LIMITED', budget: 'alice@example.com' } },
      { extensions: { code: 'NOT_FOUND' } },
      { extensions: { code: 'made-up code' } },
      {},
    ]);
    const text = await sut.render();
    expect(text).toMatch(/rate_limit_refusals_total\{budget="sign-in-ip"\} 1/);
    expect(text).toMatch(/rate_limit_refusals_total\{budget="other"\} 1/);
    expect(text).toMatch(/rate_limit_refusals_total\{budget="post"\} 0/);
    expect(text).toMatch(/graphql_errors_total\{code="RATE_LIMITED"\} 2/);
    expect(text).toMatch(/graphql_errors_total\{code="NOT_FOUND"\} 1/);
    expect(text).toMatch(/graphql_errors_total\{code="other"\} 2/);
    expect(text).not.toMatch(/alice|made-up/);
  });

  it('reads the review queue once per scrape for both of its gauges', async () => {
    const sut = new MetricsService();
    let reads = 0;
    sut.watchReviewQueue(() => {
      reads += 1;
      return Promise.resolve([{ kind: 'APPEAL', pending: 3, oldestAgeSeconds: 120 }]);
    });
    const text = await sut.render();
    expect(text).toMatch(/review_queue_items\{kind="APPEAL"\} 3/);
    expect(text).toMatch(/review_queue_oldest_age_seconds\{kind="APPEAL"\} 120/);
    expect(reads).toBe(1);
    await sut.render();
    expect(reads).toBe(2);
  });
});
