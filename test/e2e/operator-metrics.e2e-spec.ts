import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE } from '../../src/infrastructure/database/stores';
import { TransactionRunner } from '../../src/infrastructure/database/transaction-runner';
import { ReviewItemEntity } from '../../src/moderation/review.entity';
import { type ConsoleWorld, createConsoleWorld, holdPostsContaining } from '../utils/console-world';
import { postThread } from '../utils/discussion-client';
import { verifyEmployer } from '../utils/identity-client';
import { metricValue, scrapeMetrics } from '../utils/metrics';
import { ProbeModule } from '../utils/probe.module';
import { createTestApp, type TestApp } from '../utils/test-app';
import { waitFor } from '../utils/wait';

const postgres = (process.env.DATABASE_URL ?? '').startsWith('postgres');

describe('Operator metrics: review queue, visitor cache, database pool', () => {
  let world: ConsoleWorld;
  const scrape = () => scrapeMetrics(world.app.url);

  beforeAll(async () => {
    world = await createConsoleWorld({ PUBLIC_READ: 'true', VISITOR_CACHE_MS: '60000' });
    await holdPostsContaining(world, 'walkout');
    const verified = await verifyEmployer(world.app, world.smtp, world.member, 'pat@acme.example');
    expect(verified.errors).toBeUndefined();
  });

  afterAll(() => world.close());

  it('shows the review queue depth and the oldest item’s age per kind, in whole minutes', async () => {
    const before = await scrape();
    for (const kind of ['RULE_HOLD', 'RULE_FLAG', 'USER_REPORTS', 'APPEAL']) {
      expect(metricValue(before, 'review_queue_items', { kind })).toBe(0);
      expect(metricValue(before, 'review_queue_oldest_age_seconds', { kind })).toBe(0);
    }

    await postThread(world.member, world.boardId, 'Friday', 'A walkout at noon?');
    await postThread(world.member, world.boardId, 'Monday', 'Another walkout?');
    // The review item follows the post through the outbox.
    await waitFor('two held posts in the queue', async () => {
      return metricValue(await scrape(), 'review_queue_items', { kind: 'RULE_HOLD' }) === 2;
    });

    // The oldest item waited two hours (moved back in the store: no test waits for hours).
    const items = world.app.app
      .get<DataSource>(getDataSourceToken(CONTENT_STORE))
      .getRepository(ReviewItemEntity);
    const [oldest] = await items.find({ where: { kind: 'RULE_HOLD' as never }, take: 1 });
    await items.update({ id: oldest.id }, { queuedAt: new Date(Date.now() - 2 * 3600_000) });
    const after = await scrape();
    const age = metricValue(after, 'review_queue_oldest_age_seconds', { kind: 'RULE_HOLD' }) ?? 0;
    expect(age % 60).toBe(0);
    expect(age).toBeGreaterThanOrEqual(2 * 3600 - 60);
    expect(age).toBeLessThanOrEqual(2 * 3600 + 120);
    expect(metricValue(after, 'review_queue_items', { kind: 'RULE_FLAG' })).toBe(0);
    // No per-item label: the text names no item, post or board.
    expect(after).not.toContain(oldest.id);
    expect(after).not.toContain(oldest.contentId);
    expect(after).not.toContain(world.boardId);
  });

  it('counts visitor cache hits and misses', async () => {
    const read = 'query VisitorBoards { boards { slug } }';
    const before = await scrape();
    expect((await world.app.gql(read)).errors).toBeUndefined();
    expect((await world.app.gql(read)).errors).toBeUndefined();
    const after = await scrape();
    const delta = (name: string) =>
      (metricValue(after, name) ?? 0) - (metricValue(before, name) ?? 0);
    expect(delta('visitor_cache_misses_total')).toBe(1);
    expect(delta('visitor_cache_hits_total')).toBe(1);
    // A member's read never touches the visitor cache.
    await world.member.gql(read);
    const member = await scrape();
    expect(metricValue(member, 'visitor_cache_misses_total')).toBe(
      metricValue(after, 'visitor_cache_misses_total'),
    );
  });

  it("shows each store's connections in use while a transaction holds one", async () => {
    const inUse = (text: string, store: string) =>
      metricValue(text, 'database_pool_connections', { store, state: 'in_use' });
    const idle = await scrape();
    expect(inUse(idle, 'content')).toBe(0);
    expect(inUse(idle, 'identity')).toBe(0);
    const during = await world.app.app
      .get(TransactionRunner)
      .run(CONTENT_STORE, async (manager) => {
        await manager.query('SELECT 1');
        return scrape();
      });
    expect(inUse(during, 'content')).toBe(1);
    expect(inUse(during, 'identity')).toBe(0);
    if (postgres) {
      expect(metricValue(during, 'database_pool_waiting', { store: 'content' })).toBe(0);
      expect(metricValue(during, 'database_pool_waiting', { store: 'identity' })).toBe(0);
    } else {
      // One synchronous connection per SQLite file, and no pool to wait for.
      expect(
        metricValue(during, 'database_pool_connections', { store: 'content', state: 'idle' }),
      ).toBe(0);
      expect(during).not.toMatch(/^database_pool_waiting\{/m);
    }
  });

  (postgres ? it : it.skip)(
    'shows queries waiting for a pooled connection (PostgreSQL)',
    async () => {
      const content = world.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
      const pool = (content.driver as unknown as { master: Pool }).master;
      const size = world.app.config.DATABASE_POOL_SIZE;
      // Every connection of the pool held by a transaction, and one more query waiting.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let holding = 0;
      const held = Array.from({ length: size }, () =>
        content.transaction(async (manager) => {
          await manager.query('SELECT 1');
          holding += 1;
          await gate;
        }),
      );
      await waitFor('every pooled connection held', () => holding === size);
      const waiting = content.query('SELECT 1');
      await waitFor('a query waiting', () => pool.waitingCount >= 1);
      // The scrape reads the pool first, then its queries (outbox, retroactive runs, review
      // queue) wait for a connection too: three waiting can only be the scrape's.
      const scraped = scrape();
      await waitFor('the scrape waiting too', () => pool.waitingCount >= 3);
      release();
      await Promise.all([...held, waiting]);
      const text = await scraped;
      expect(
        metricValue(text, 'database_pool_waiting', { store: 'content' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(text, 'database_pool_connections', { store: 'content', state: 'in_use' }),
      ).toBe(size);
      expect(
        metricValue(text, 'database_pool_connections', { store: 'content', state: 'idle' }),
      ).toBe(0);
    },
  );
});

describe('Operator metrics: refusals', () => {
  let sut: TestApp;

  afterEach(() => sut.close());

  it('counts rate-limit refusals by budget and GraphQL errors by code', async () => {
    sut = await createTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' }, [
      ProbeModule,
    ]);
    const before = await scrapeMetrics(sut.url);
    expect(metricValue(before, 'rate_limit_refusals_total', { budget: 'default' })).toBe(0);
    for (let i = 0; i < 3; i++) expect((await sut.gql('{ probe }')).errors).toBeUndefined();
    const refused = await sut.gql('{ probe }');
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      budget: 'default',
    });
    const after = await scrapeMetrics(sut.url);
    expect(metricValue(after, 'rate_limit_refusals_total', { budget: 'default' })).toBe(1);
    expect(metricValue(after, 'rate_limit_refusals_total', { budget: 'post' })).toBe(0);
    expect(metricValue(after, 'graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
    expect(metricValue(after, 'graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBe(0);
  });

  it('shows the password hash queue: running, queued and refused', async () => {
    // Slow hashes, one at a time with one waiting: a burst of sign-ins overflows the queue.
    sut = await createTestApp({
      ARGON2_MEMORY_KIB: '65536',
      ARGON2_TIME_COST: '20',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '1',
      PASSWORD_HASH_BUSY_INTERVAL_MS: '0',
    });
    const signIns = Array.from({ length: 6 }, (_, i) =>
      sut.gql(
        'mutation ($e: String!) { signIn(email: $e, password: "not the password") { token } }',
        {
          e: `nobody${i}@example.com`,
        },
      ),
    );
    await waitFor('a hash running and one waiting', async () => {
      const text = await scrapeMetrics(sut.url);
      return (
        metricValue(text, 'password_hash_running') === 1 &&
        metricValue(text, 'password_hash_queued') === 1
      );
    });
    const answers = await Promise.all(signIns);
    const refused = answers.filter(
      (answer) => answer.errors?.[0].extensions?.budget === 'password-hash-queue',
    ).length;
    expect(refused).toBeGreaterThan(0);
    const after = await scrapeMetrics(sut.url);
    expect(metricValue(after, 'password_hash_refusals_total')).toBeGreaterThanOrEqual(refused);
    expect(metricValue(after, 'rate_limit_refusals_total', { budget: 'password-hash-queue' })).toBe(
      refused,
    );
    expect(metricValue(after, 'password_hash_running')).toBe(0);
    expect(metricValue(after, 'password_hash_queued')).toBe(0);
  });
});
