import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { ContentWithholdingEntity } from '../../../src/posts/content-withholding.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { onPostgres } from '../../utils/test-env';

const HOME = `query ($first: Int!, $after: String, $order: ThreadOrder) {
  home(first: $first, after: $after, order: $order) {
    edges { cursor node { id score createdAt board { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const TRENDING = `query ($window: TrendingWindow, $first: Int) {
  trending(window: $window, first: $first) { id board { slug } }
}`;

interface Home {
  home: {
    edges: Array<{
      cursor: string;
      node: { id: string; createdAt: string; board: { slug: string } };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
interface Trending {
  trending: Array<{ id: string; board: { slug: string } }>;
}

/** Who asks: a member's client, or a visitor reading from `country`. */
type Asker = SignedInClient | { country: string };

/** The content store's SELECTs on `threads` (with their parameters) that `work` sent. */
async function threadQueries(
  content: DataSource,
  work: () => Promise<unknown>,
): Promise<Array<[string, unknown[]]>> {
  const runner = content.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as QueryRunner;
  await runner.release();
  const spy = jest.spyOn(proto, 'query');
  try {
    await work();
    return spy.mock.calls
      .map(([sql, params]) => [sql, (params ?? []) as unknown[]] as [string, unknown[]])
      .filter(([sql]) => /^SELECT/i.test(sql) && /FROM ("[^"]+"\.)?"threads"/.test(sql));
  } finally {
    spy.mockRestore();
  }
}

/** The query plan of `sql`, as one string (indexes only where the planner would use one). */
async function planOf(content: DataSource, sql: string, params: unknown[]): Promise<string> {
  if (!onPostgres()) {
    const rows: Array<{ detail: string }> = await content.query(
      `EXPLAIN QUERY PLAN ${sql}`,
      params,
    );
    return rows.map((r) => r.detail).join('\n');
  }
  const runner = content.createQueryRunner();
  try {
    // A test's tables are tiny: a sequential scan would win; ask what an index gives.
    await runner.query('SET enable_seqscan = off');
    const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN ${sql}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await runner.query('RESET enable_seqscan');
    await runner.release();
  }
}

describe('Home feed and trending threads', () => {
  let env: IdentityTestApp;
  let initech: SignedInClient;
  let globex: SignedInClient;
  /** An Initech member whose jurisdiction is DE, where `withheld` is withheld. */
  let german: SignedInClient;
  const publicIds: string[] = [];
  const initechIds: string[] = [];
  const globexIds: string[] = [];
  let withheld: string;
  let busy: string;
  let old: string;

  const ask = <T>(who: Asker, query: string, variables: Record<string, unknown> = {}) =>
    'country' in who
      ? env.app.gql<T>(query, variables, { 'X-Country': who.country })
      : who.gql<T>(query, variables);

  const homeIds = async (who: Asker, order: string) =>
    (await dataOf(ask<Home>(who, HOME, { first: 100, order }))).home.edges.map((e) => e.node.id);

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({
      VISITOR_CACHE_MS: '0',
      FEED_PAGE_CACHE_MS: '0',
      MEMBER_CACHE_MS: '0',
    });
    const general = await createGeneralBoard(env.admin);
    const careers = (
      await dataOf(
        env.admin.gql<{ createBoard: { id: string } }>(
          'mutation { createBoard(slug: "careers", name: "Careers", jurisdiction: "US") { id } }',
        ),
      )
    ).createBoard.id;
    const member = async (email: string, jurisdiction = 'US') => {
      const client = await signUpMember(env.app, env.smtp, { jurisdiction });
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    initech = await member('peter@initech.example');
    globex = await member('hank@globex.example');
    german = await member('milton@initech.example', 'DE');
    const companyBoard = async (client: SignedInClient) =>
      (
        await dataOf(
          client.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
        )
      ).boards.find((b) => b.kind === 'COMPANY')!.id;
    const initechBoard = await companyBoard(initech);
    const globexBoard = await companyBoard(globex);

    for (let i = 0; i < 4; i++)
      publicIds.push(await postThread(initech, general, `general ${i}`, 'text'));
    for (let i = 0; i < 3; i++)
      publicIds.push(await postThread(globex, careers, `careers ${i}`, 'text'));
    for (let i = 0; i < 3; i++)
      initechIds.push(await postThread(initech, initechBoard, `initech ${i}`, 'text'));
    for (let i = 0; i < 2; i++)
      globexIds.push(await postThread(globex, globexBoard, `globex ${i}`, 'text'));

    // Activity: one public thread gets votes and comments; a company thread gets more.
    busy = publicIds[1];
    for (const voter of [globex, german])
      await dataOf(voter.gql('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', { c: busy }));
    await postComment(globex, busy, 'a reply');
    await postComment(german, busy, 'another reply');
    await dataOf(
      german.gql('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', { c: initechIds[0] }),
    );
    for (let i = 0; i < 3; i++) await postComment(german, initechIds[0], `reply ${i}`);

    // Straight in the content store: one public thread withheld in DE, one aged three days.
    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    withheld = publicIds[2];
    await content.getRepository(ContentWithholdingEntity).insert({
      contentId: withheld,
      jurisdiction: 'DE',
      contentKind: 'THREAD',
      threadId: withheld,
      createdAt: new Date(),
    });
    old = publicIds[4];
    await content
      .getRepository(ThreadEntity)
      .update({ id: old }, { createdAt: new Date(Date.now() - 3 * 86_400_000) });
    // The comments' notifications are delivered after their answers (reading threads to check
    // who may still read them): let them settle before statements are counted.
    await outboxDrained(env.app.app);
  });
  afterAll(async () => env.close());

  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  it('costs the same on a deep page as on the first, walking each board’s feed index', async () => {
    for (const order of ['NEW', 'TOP', 'HOT']) {
      let after: string | null = null;
      const costs: number[] = [];
      for (let page = 0; page < 4; page++) {
        // The statements on the threads table (other tables' work, such as a write's
        // follow-ups still settling, is not the page's).
        const sent = await threadQueries(content(), async () => {
          const { home }: Home = await dataOf(ask<Home>(initech, HOME, { first: 2, order, after }));
          after = home.pageInfo.endCursor;
        });
        costs.push(sent.length);
      }
      expect({ order, costs: new Set(costs).size }).toEqual({ order, costs: 1 });
    }
    const index = onPostgres()
      ? /Index Scan (Backward )?using idx_threads_feed_/
      : /USING (COVERING )?INDEX idx_threads_feed_/;
    const queries = await threadQueries(content(), () =>
      dataOf(ask<Home>(initech, HOME, { first: 2, order: 'HOT', after: null })),
    );
    expect(queries.length).toBeGreaterThan(0);
    for (const [sql, params] of queries) {
      const plan = await planOf(content(), sql, params);
      expect(plan).toMatch(index);
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
    }
  });

  it('shows a member the public boards and their own company board, not other companies’', async () => {
    for (const order of ['NEW', 'TOP', 'HOT']) {
      const mine = await homeIds(initech, order);
      expect([...mine].sort()).toEqual([...publicIds, ...initechIds].sort());
      const theirs = await homeIds(globex, order);
      expect([...theirs].sort()).toEqual([...publicIds, ...globexIds].sort());
    }
  });

  it('orders NEW by time, TOP by score and HOT by the hot rank, as the board feeds do', async () => {
    const page = await dataOf(ask<Home>(initech, HOME, { first: 100, order: 'NEW' }));
    const times = page.home.edges.map((e) => Date.parse(e.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const top = await homeIds(initech, 'TOP');
    expect(top.slice(0, 2).sort()).toEqual([busy, initechIds[0]].sort());
    // HOT is the default order; the thread with two votes leads it.
    const hot = (await dataOf(ask<Home>(initech, HOME, { first: 1 }))).home.edges;
    expect(hot[0].node.id).toBe(busy);
    // Each board's threads come in the order of the board's own feed.
    for (const order of ['NEW', 'TOP', 'HOT']) {
      const home = (await dataOf(ask<Home>(initech, HOME, { first: 100, order }))).home.edges
        .filter((e) => e.node.board.slug === 'general')
        .map((e) => e.node.id);
      const feed = await dataOf(
        initech.gql<{ board: { threads: { edges: Array<{ node: { id: string } }> } } }>(
          'query ($o: ThreadOrder) { board(slug: "general") { threads(first: 100, order: $o) { edges { node { id } } } } }',
          { o: order },
        ),
      );
      expect(home).toEqual(feed.board.threads.edges.map((e) => e.node.id));
    }
  });

  it('pages with cursors without gaps or duplicates in every order', async () => {
    for (const order of ['NEW', 'TOP', 'HOT']) {
      const all = await homeIds(initech, order);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { home }: Home = await dataOf(ask<Home>(initech, HOME, { first: 3, order, after }));
        seen.push(...home.edges.map((e) => e.node.id));
        if (!home.pageInfo.hasNextPage) break;
        after = home.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
    }
  });

  it('gives visitors the public boards only', async () => {
    const ids = await homeIds({ country: 'US' }, 'NEW');
    expect([...ids].sort()).toEqual([...publicIds].sort());
  });

  it('leaves out threads withheld in the viewer’s jurisdiction', async () => {
    expect(await homeIds({ country: 'DE' }, 'HOT')).not.toContain(withheld);
    expect(await homeIds(german, 'NEW')).not.toContain(withheld);
    expect(await homeIds(german, 'TOP')).toHaveLength(publicIds.length + initechIds.length - 1);
    // The author, in the US, still sees it.
    expect(await homeIds(initech, 'NEW')).toContain(withheld);
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    const code = async (query: string, variables: Record<string, unknown>) =>
      (await initech.gql(query, variables)).errors?.map((e) => e.extensions?.code);
    expect(await code(HOME, { first: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await code(HOME, { first: 101 })).toEqual(['BAD_USER_INPUT']);
    expect(await code(HOME, { first: 2, after: 'not-a-cursor' })).toEqual(['BAD_USER_INPUT']);
    const newCursor = (await dataOf(ask<Home>(initech, HOME, { first: 1, order: 'NEW' }))).home
      .pageInfo.endCursor;
    expect(await code(HOME, { first: 2, order: 'TOP', after: newCursor })).toEqual([
      'BAD_USER_INPUT',
    ]);
    const boardCursor = (
      await dataOf(
        initech.gql<{ board: { threads: { pageInfo: { endCursor: string } } } }>(
          '{ board(slug: "general") { threads(first: 1, order: HOT) { pageInfo { endCursor } } } }',
        ),
      )
    ).board.threads.pageInfo.endCursor;
    expect(await code(HOME, { first: 2, after: boardCursor })).toEqual(['BAD_USER_INPUT']);
    expect(await code(TRENDING, { first: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await code(TRENDING, { first: 51 })).toEqual(['BAD_USER_INPUT']);
  });

  it('ranks trending public threads by activity within the window', async () => {
    const day = (await dataOf(ask<Trending>(initech, TRENDING))).trending;
    // Public boards only: the busier company thread is not there.
    expect(day.every((t) => ['general', 'careers'].includes(t.board.slug))).toBe(true);
    expect(day[0].id).toBe(busy);
    expect(day.map((t) => t.id)).not.toContain(old);
    expect(day).toHaveLength(publicIds.length - 1);
    const week = (await dataOf(ask<Trending>(initech, TRENDING, { window: 'WEEK' }))).trending;
    expect(week.map((t) => t.id)).toContain(old);
    expect(week[0].id).toBe(busy);
    const two = (await dataOf(ask<Trending>({ country: 'US' }, TRENDING, { first: 2 }))).trending;
    expect(two.map((t) => t.id)).toEqual(day.slice(0, 2).map((t) => t.id));
  });

  it('ranks trending from the window alone (idx_threads_status_time), once per jurisdiction and window', async () => {
    const ranked = await threadQueries(content(), () =>
      dataOf(ask<Trending>({ country: 'FR' }, TRENDING)),
    );
    const window = ranked.filter(([sql]) => /created_at" >=/.test(sql));
    expect(window).toHaveLength(1);
    const plan = await planOf(content(), ...window[0]);
    expect(plan).toMatch(
      onPostgres() ? /idx_threads_status_time/ : /INDEX idx_threads_status_time/,
    );
    // Kept: the next visitor from there reads only the ranked threads, by id.
    const again = await threadQueries(content(), () =>
      dataOf(ask<Trending>({ country: 'FR' }, TRENDING)),
    );
    expect(again.filter(([sql]) => /created_at" >=/.test(sql))).toHaveLength(0);
  });

  it('leaves withheld threads out of trending where they are withheld', async () => {
    const ids = async (who: Asker) =>
      (await dataOf(ask<Trending>(who, TRENDING, { window: 'WEEK' }))).trending.map((t) => t.id);
    expect(await ids({ country: 'DE' })).not.toContain(withheld);
    expect(await ids(german)).not.toContain(withheld);
    expect(await ids({ country: 'US' })).toContain(withheld);
  });
});

describe('Home feed and trending threads with PUBLIC_READ=false', () => {
  let env: IdentityTestApp;
  let threadId: string;

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({ PUBLIC_READ: 'false', VISITOR_CACHE_MS: '0' });
    const general = await createGeneralBoard(env.admin);
    const member = await signUpMember(env.app, env.smtp);
    await dataOf(verifyEmployer(env.app, env.smtp, member, 'bill@initech.example'));
    threadId = await postThread(member, general, 'members only', 'text');
  });
  afterAll(async () => env.close());

  it('refuses visitors every read of the forum with UNAUTHENTICATED, and gives members the public boards', async () => {
    // A forgotten Authorization header must not look like an empty forum.
    const reads: Array<[string, Record<string, unknown>]> = [
      [HOME, { first: 10 }],
      [TRENDING, {}],
      ['{ boards { id } }', {}],
      ['query ($s: String!) { board(slug: $s) { id } }', { s: 'general' }],
      ['query ($id: ID!) { thread(id: $id) { id } }', { id: threadId }],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: threadId }],
      ['{ search(query: "members", first: 5) { edges { cursor } } }', {}],
    ];
    for (const [query, variables] of reads) {
      const answer = await env.app.gql(query, variables);
      expect({ query, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({
        query,
        codes: ['UNAUTHENTICATED'],
      });
      expect(answer.errors?.[0]?.message).toMatch(/sign in/i);
    }
    // What a visitor needs before signing up stays open.
    expect((await env.app.gql('{ serverInfo { publicRead } }')).data).toEqual({
      serverInfo: { publicRead: false },
    });
    expect((await env.app.gql('{ viewer { roles } }')).data).toEqual({ viewer: null });
    const member = await dataOf(env.admin.gql<Home>(HOME, { first: 10 }));
    expect(member.home.edges.map((e) => e.node.id)).toEqual([threadId]);
    const trending = await dataOf(env.admin.gql<Trending>(TRENDING));
    expect(trending.trending.map((t) => t.id)).toEqual([threadId]);
  });
});
