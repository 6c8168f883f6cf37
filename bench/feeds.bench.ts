/**
 * Feeds benchmark (docs/performance.md, "Discussions: feeds"): does a page of a board's feed
 * cost the same on a board with 1,000 threads and on one with 1,000,000, first page and a page
 * 10,000 threads deep, in NEW, TOP and HOT order? And how many feed pages (20 threads with
 * authors, scores and counts) does the server answer per second, against a bare Apollo Server
 * answering `{ hello }` measured in the same run? Visitors' answers are reused for
 * VISITOR_CACHE_MS, so the same page is also measured on a second server with that cache and
 * members' shared answers off (every page computed); latency and the cost breakdown are
 * measured there too. A signed-in member's requests (a trivial query, and the feed page with
 * `viewerVote` and `isViewer` on both servers: from members' shared answers, and computed) and
 * the same page of a member who voted on some of its threads (their votes filled into the
 * shared answer) are measured in the same windows (project issue 25).
 *
 *   npm run bench:feeds [-- --threads 1000000 --repeats 200 --seconds 7 --clients 8
 *                          --node-env test|production]
 *   (threads = size of the large board; repeats = timed requests per case;
 *    seconds = rounds of one-second windows of each throughput workload)
 */
import 'reflect-metadata';
import { ThreadOrder } from '../src/posts/thread-order';
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { type Cursor, decodeCursor, feedList } from '../src/posts/cursor';
import { CursorCipher } from '../src/infrastructure/crypto/cursor-cipher';
import { keyRingFor } from '../src/infrastructure/crypto/key-ring';
import { threadSortKey, ThreadsRepository } from '../src/posts/threads.repository';
import { AppConfig } from '../src/infrastructure/config/app-config';
import { storeOptions } from '../src/store-entities';
import { openStore } from '../src/infrastructure/database/store-bootstrap';
import { STORES } from '../src/infrastructure/database/stores';
import {
  FEED_PAGE,
  FEED_QUERY,
  HOME_QUERY,
  type LoadedBoard,
  MEMBER_FEED_QUERY,
  loadBoard,
  queryPlan,
} from './feeds-data';
import {
  type Answer,
  cpuMs,
  drive,
  freePort,
  GraphqlClient,
  median,
  percentile,
  startHello,
  startServer,
  stopChild,
  runMain,
  clampedInt,
} from './bench-http';
import { signUpAccount, signUpStaff, verifyEmployer } from './bench-forum';
import { SmtpPeer } from './smtp-peer';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '7' },
    clients: { type: 'string', default: '8' },
    'node-env': { type: 'string', default: 'test' },
  },
});
const LARGE = clampedInt(values.threads, 2_000, 2_000_000);
const SMALL = 1_000;
const REPEATS = clampedInt(values.repeats, 10, 2_000);
const SECONDS = clampedInt(values.seconds, 1, 30);
const CLIENTS = clampedInt(values.clients, 1, 64);
/** NODE_ENV of both servers: `test` (default) or `production` (graphql-js skips its dev checks). */
const NODE_ENV = values['node-env'] === 'production' ? 'production' : 'test';
const PAGE = FEED_PAGE;
/** The deep page starts after this many threads (page 501 of 20: threads 10,001–10,020). */
const DEPTH = 10_000;
/** The whole run is stopped after this long, whatever it is doing. */
const RUN_LIMIT_MS = 10 * 60_000;
const ORDERS = [ThreadOrder.NEW, ThreadOrder.TOP, ThreadOrder.HOT] as const;
/** Both boards must be within this factor of each other (project issue 5). */
const SAME_COST = 1.2;
/** Feed pages per second against bare Apollo `{ hello }`. */
const THROUGHPUT_TARGET = 0.5;

interface FeedData {
  board: {
    threads: {
      edges: Array<{
        node: { id: string; title: string; author: { handle: string }; viewerVote?: number };
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
}

interface HomeData {
  home: {
    edges: Array<{ node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** One timed case: a board, an order, and the cursor of the page (null: the first page). */
interface Case {
  board: LoadedBoard;
  order: ThreadOrder;
  page: 'first' | 'deep';
  /** 1-based number of the page's first thread in the feed. */
  from: number;
  after: string | null;
  times: number[];
}

interface Stats {
  p50: number;
  p99: number;
}
const stats = (times: readonly number[]): Stats => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const ms = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(2));
const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

/** How far down the deep page is on a board: 10,000 threads, or its last page when smaller. */
function deepOffset(threads: number): number {
  return Math.min(DEPTH, Math.floor((threads - 1) / PAGE) * PAGE);
}

/** A kind of request driven in windows, with what its windows measured. */
interface Workload {
  name: string;
  label: string;
  /** The process that answers it (its CPU time is measured). */
  child: ChildProcess;
  request: () => Promise<Answer>;
  windows: number[];
  ok: number;
  failed: number;
  /** CPU ms of the answering process, and of this (load generating) process, over all windows. */
  cpuMs: number | null;
  loadCpuMs: number;
  seconds: number;
}

function workload(
  name: string,
  label: string,
  child: ChildProcess,
  request: () => Promise<Answer>,
): Workload {
  return {
    name,
    label,
    child,
    request,
    windows: [],
    ok: 0,
    failed: 0,
    cpuMs: 0,
    loadCpuMs: 0,
    seconds: 0,
  };
}

/** One one-second window of CLIENTS closed-loop clients on `workload`. */
async function measureWindow(workload: Workload): Promise<void> {
  const before = cpuMs(workload.child.pid);
  const self = process.cpuUsage();
  const started = Date.now();
  const result = await drive(1, CLIENTS, workload.request);
  const after = cpuMs(workload.child.pid);
  const own = process.cpuUsage(self);
  workload.windows.push(result.perSecond);
  workload.ok += result.ok;
  workload.failed += result.failed;
  workload.seconds += (Date.now() - started) / 1000;
  workload.loadCpuMs += (own.user + own.system) / 1000;
  workload.cpuMs =
    before === null || after === null || workload.cpuMs === null
      ? null
      : workload.cpuMs + after - before;
}

/** Captures the SQL TypeORM sends, to show the real statements and their plans. */
class CapturingLogger implements TypeOrmLogger {
  last: { sql: string; parameters: unknown[] } | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    this.last = { sql: query, parameters: parameters ?? [] };
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * The repository alone, in this process (no HTTP, no GraphQL): walks each feed down to its deep
 * page, then times the first and the deep page of both boards, interleaved. Also returns the
 * SQL of the deep-page query per order and SQLite's plan for it.
 */
async function repositoryLevel(config: AppConfig, file: string, boards: LoadedBoard[]) {
  const logger = new CapturingLogger();
  const content = new DataSource({
    ...storeOptions(config, 'content'),
    logging: ['query'],
    logger,
  });
  await content.initialize();
  try {
    const repository = new ThreadsRepository(content);
    const cases: Array<{
      board: LoadedBoard;
      order: ThreadOrder;
      page: 'first' | 'deep';
      after: Cursor | null;
      times: number[];
    }> = [];
    const plans: Record<string, { sql: string; plan: string[] }> = {};
    for (const board of boards) {
      for (const order of ORDERS) {
        let after: Cursor | null = null;
        for (let skipped = 0; skipped < deepOffset(board.threads); skipped += PAGE) {
          const rows = await repository.findFeedPage(board.id, order, after, PAGE, null, []);
          const last = rows[PAGE - 1];
          after = { order, key: threadSortKey(last, order), id: last.id };
        }
        cases.push({ board, order, page: 'first', after: null, times: [] });
        cases.push({ board, order, page: 'deep', after, times: [] });
        if (board.threads === LARGE) {
          await repository.findFeedPage(board.id, order, after, PAGE, null, []);
          const captured = logger.last;
          if (captured !== null) {
            plans[order] = {
              sql: captured.sql.replace(/\s+/g, ' '),
              plan: queryPlan(file, captured.sql, captured.parameters),
            };
          }
        }
      }
    }
    for (let round = -20; round < REPEATS; round++) {
      for (const c of cases) {
        const started = process.hrtime.bigint();
        const rows = await repository.findFeedPage(c.board.id, c.order, c.after, PAGE, null, []);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (rows.length !== PAGE + 1 && !(c.page === 'deep' && c.board.threads === SMALL)) {
          throw new Error(`repository: ${rows.length} rows for ${c.order} ${c.page}`);
        }
        if (round >= 0) c.times.push(elapsed); // rounds below 0 are the warm-up
      }
    }
    return {
      cases,
      plans,
      deepCursors: new Map(
        cases
          .filter((c) => c.page === 'deep' && c.after !== null)
          .map((c) => [`${c.board.slug}/${c.order}`, c.after as Cursor]),
      ),
    };
  } finally {
    await content.destroy();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-bench-feeds-'));
  const children: ChildProcess[] = [];
  const clients: GraphqlClient[] = [];
  const smtp = new SmtpPeer();
  const cleanUp = async () => {
    clients.forEach((client) => client.close());
    await Promise.all(children.map((child) => stopChild(child)));
    await smtp.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    process.stderr.write(`feeds bench: stopped after ${RUN_LIMIT_MS / 60_000} minutes\n`);
    children.forEach((child) => child.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(2);
  }, RUN_LIMIT_MS);
  const interrupted = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const loadAtStart = Number(loadavg()[0].toFixed(2));
  say(`feeds bench: Node ${process.version}, NODE_ENV=${NODE_ENV}, load average ${loadAtStart}`);

  try {
    await smtp.start();
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV,
      // The member's sign-up code is read from this peer.
      SMTP_URL: smtp.url,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_SECRET: 'bench-secret-' + 'f3'.repeat(16),
      PUBLIC_READ: 'true',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000000',
      // Sign-ups, a sign-in and an employer's verification (the voter below) from one address.
      AUTH_RATE_LIMIT_MAX: '100000',
      // Throughput is measured by closed-loop clients, never past capacity: a busy machine's
      // event-loop stall must not turn a measured request into a 503.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
    };
    const config = AppConfig.fromEnv(env);
    const file = join(dataDir, 'content.sqlite');

    // 1. Schema from the migrations (both stores: the server refuses a populated content store
    //    beside a missing identity store), then the two boards written straight into the file.
    for (const store of STORES) await (await openStore(storeOptions(config, store))).destroy();
    const now = Date.now();
    const small = loadBoard(file, { slug: 'bench-1k', name: 'Bench 1k', threads: SMALL }, 1, now);
    const large = loadBoard(
      file,
      { slug: 'bench-large', name: 'Bench large', threads: LARGE },
      2,
      now,
    );
    const boards = [small, large];
    const sizeMiB = statSync(file).size / 2 ** 20;
    say(
      `loaded ${SMALL.toLocaleString('en')} threads in ${small.loadSeconds.toFixed(2)} s and ` +
        `${LARGE.toLocaleString('en')} in ${large.loadSeconds.toFixed(1)} s ` +
        `(${Math.round(LARGE / large.loadSeconds).toLocaleString('en')} rows/s, indexes included); ` +
        `content.sqlite ${sizeMiB.toFixed(0)} MiB`,
    );

    // 2. The repository alone (in this process, before the server starts).
    const repo = await repositoryLevel(config, file, boards);
    const cursors = new CursorCipher(keyRingFor(config));
    for (const order of ORDERS) {
      const plan = repo.plans[order];
      if (plan !== undefined) say(`plan ${order} (deep page): ${plan.plan.join(' | ')}`);
    }
    say(`sql (deep page, HOT): ${repo.plans[ThreadOrder.HOT]?.sql ?? '?'}`);

    // 3. The real server and a bare Apollo Server, each in its own process.
    // The server as configured (visitors' answers cached for VISITOR_CACHE_MS), and a second
    // one on the same files with that cache off, so every request there is computed.
    const server = await startServer(env);
    children.push(server);
    const uncachedPort = await freePort();
    const uncachedServer = await startServer({
      ...env,
      PORT: String(uncachedPort),
      VISITOR_CACHE_MS: '0',
      MEMBER_CACHE_MS: '0',
    });
    children.push(uncachedServer);
    const hello = await startHello({ NODE_ENV });
    children.push(hello.child);
    const cachedApi = new GraphqlClient(`http://127.0.0.1:${port}/graphql`);
    const api = new GraphqlClient(`http://127.0.0.1:${uncachedPort}/graphql`);
    const bare = new GraphqlClient(hello.url);
    clients.push(cachedApi, api, bare);
    // Latency and the breakdown are measured without the visitor cache (every page computed).
    const feed = (slug: string, order: ThreadOrder, after: string | null) =>
      api.post(FEED_QUERY, { slug, order, after });
    // A signed-in member (US, like the boards): on the server as configured, where their page
    // comes from members' shared answers (they voted on none of its threads), and on the one
    // with both caches off, where it is computed as for a member who voted on one of them.
    const memberToken = await signUpAccount(api, smtp, 'member@bench.example', 'US');
    const member = new GraphqlClient(`http://127.0.0.1:${uncachedPort}/graphql`, {
      authorization: `Bearer ${memberToken}`,
    });
    const memberCached = new GraphqlClient(`http://127.0.0.1:${port}/graphql`, {
      authorization: `Bearer ${memberToken}`,
    });
    // A second member, who votes on some of the page's threads before the throughput windows
    // (after the walks below, which compare TOP and HOT orders with the repository's).
    // They are verified at a company (voting on public boards asks for it), made by staff.
    const staff = new GraphqlClient(`http://127.0.0.1:${port}/graphql`, {
      authorization: `Bearer ${await signUpStaff(api, smtp, env, 'staff@example.org')}`,
    });
    await staff.data(
      'mutation { createCompany(name: "Bench Corp", slug: "bench", domains: ["bench.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
    );
    const voter = new GraphqlClient(`http://127.0.0.1:${port}/graphql`, {
      authorization: `Bearer ${await signUpAccount(api, smtp, 'voter@example.org', 'US')}`,
    });
    await verifyEmployer(voter, smtp, 'voter@bench.example');
    clients.push(member, memberCached, staff, voter);

    // 4. Walk each feed through the API down to its deep page (once), checking what comes back.
    const cases: Case[] = [];
    for (const board of boards) {
      for (const order of ORDERS) {
        const seen = new Set<string>();
        let after: string | null = null;
        const deep = deepOffset(board.threads);
        for (let skipped = 0; skipped < deep; skipped += PAGE) {
          const data: FeedData = await api.data<FeedData>(FEED_QUERY, {
            slug: board.slug,
            order,
            after,
          });
          const threads = data.board?.threads;
          if (threads === undefined || threads.edges.length !== PAGE) {
            throw new Error(`${board.slug} ${order}: short page after ${skipped} threads`);
          }
          threads.edges.forEach((edge) => seen.add(edge.node.id));
          after = threads.pageInfo.endCursor;
        }
        if (seen.size !== deep) throw new Error(`${board.slug} ${order}: repeated threads`);
        // Cursors are sealed with a fresh nonce each time: compare what they hold.
        const held = decodeCursor(cursors, feedList(board.id), after, order);
        const expected = repo.deepCursors.get(`${board.slug}/${order}`) ?? null;
        if (JSON.stringify(held) !== JSON.stringify(expected)) {
          throw new Error(`${board.slug} ${order}: API and repository disagree on the cursor`);
        }
        cases.push({ board, order, page: 'first', from: 1, after: null, times: [] });
        cases.push({ board, order, page: 'deep', from: deep + 1, after, times: [] });
      }
    }

    // 4b. The home feed (every board the reader reads: here both boards, merged), walked down
    //     as deep as the large board's deep page, once per order.
    const homeCases: Array<Omit<Case, 'board'>> = [];
    const homeDeep = deepOffset(LARGE);
    for (const order of ORDERS) {
      const seen = new Set<string>();
      let after: string | null = null;
      for (let skipped = 0; skipped < homeDeep; skipped += PAGE) {
        const data: HomeData = await api.data<HomeData>(HOME_QUERY, { order, after });
        if (data.home.edges.length !== PAGE) {
          throw new Error(`home ${order}: short page after ${skipped} threads`);
        }
        data.home.edges.forEach((edge) => seen.add(edge.node.id));
        after = data.home.pageInfo.endCursor;
      }
      if (seen.size !== homeDeep) throw new Error(`home ${order}: repeated threads`);
      homeCases.push({ order, page: 'first', from: 1, after: null, times: [] });
      homeCases.push({ order, page: 'deep', from: homeDeep + 1, after, times: [] });
    }

    // 5. Page latency: one request at a time, cases interleaved so drift hits all alike.
    for (let round = -20; round < REPEATS; round++) {
      for (const c of cases) {
        const answer = await feed(c.board.slug, c.order, c.after);
        if (answer.status !== 200 || answer.text.includes('"errors"')) {
          throw new Error(`feed request failed: ${answer.text.slice(0, 300)}`);
        }
        if (round >= 0) c.times.push(answer.ms);
      }
      for (const c of homeCases) {
        const answer = await api.post(HOME_QUERY, { order: c.order, after: c.after });
        if (answer.status !== 200 || answer.text.includes('"errors"')) {
          throw new Error(`home request failed: ${answer.text.slice(0, 300)}`);
        }
        if (round >= 0) c.times.push(answer.ms);
      }
    }

    // The voter's votes: every fourth thread of the large board's first page (NEW, which votes
    // do not reorder), up and down in turn.
    const firstPage = await api.data<FeedData>(FEED_QUERY, {
      slug: large.slug,
      order: ThreadOrder.NEW,
      after: null,
    });
    const voted = firstPage.board!.threads.edges.filter((_, i) => i % 4 === 0);
    const votes = new Map(voted.map((edge, i) => [edge.node.id, i % 2 === 0 ? 1 : -1]));
    for (const [id, value] of votes) {
      await voter.data('mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }', {
        c: id,
        v: value,
      });
    }
    // Their page holds their votes (the one from members' shared answers, filled in, once kept).
    for (let read = 0; read < 2; read++) {
      const page = await voter.data<FeedData>(MEMBER_FEED_QUERY, {
        slug: large.slug,
        order: ThreadOrder.NEW,
        after: null,
      });
      page.board!.threads.edges.forEach(({ node }, i) => {
        const own = votes.get(node.id) ?? 0;
        if (node.viewerVote !== own) throw new Error(`voter's page: thread ${i} not ${own}`);
      });
    }

    // 6. Throughput: the feed's first page (large board, NEW) and bare `{ hello }`, each by
    //    CLIENTS closed-loop keep-alive clients, in alternating one-second windows (the order
    //    within a pair alternates too), so that drift in the machine's speed hits both alike.
    //    The CPU time the answering process spends per request is read from /proc.
    const workloads: Workload[] = [
      workload('feed', `feed page (first: ${PAGE}, NEW)`, server, () =>
        cachedApi.post(FEED_QUERY, { slug: large.slug, order: ThreadOrder.NEW, after: null }),
      ),
      workload('hello', 'bare Apollo { hello }', hello.child, () => bare.post('{ hello }')),
      workload('feedComputed', `same, cache off`, uncachedServer, () =>
        feed(large.slug, ThreadOrder.NEW, null),
      ),
      workload('memberFeed', 'same, member (+viewerVote)', server, () =>
        memberCached.post(MEMBER_FEED_QUERY, {
          slug: large.slug,
          order: ThreadOrder.NEW,
          after: null,
        }),
      ),
      workload('memberFeedComputed', 'same, member, caches off', uncachedServer, () =>
        member.post(MEMBER_FEED_QUERY, { slug: large.slug, order: ThreadOrder.NEW, after: null }),
      ),
      workload('memberServerInfo', '{ serverInfo }, member', uncachedServer, () =>
        member.post('{ serverInfo { version } }'),
      ),
      workload('voterFeed', `same, member who voted on ${votes.size}`, server, () =>
        voter.post(MEMBER_FEED_QUERY, { slug: large.slug, order: ThreadOrder.NEW, after: null }),
      ),
    ];
    const [
      feedLoad,
      helloLoad,
      computedLoad,
      memberFeedLoad,
      memberComputedLoad,
      memberInfoLoad,
      voterFeedLoad,
    ] = workloads;
    for (const w of workloads) await drive(2, CLIENTS, w.request);
    for (let round = 0; round < SECONDS; round++) {
      // Rotate which workload goes first, so drift hits all alike.
      for (let i = 0; i < workloads.length; i++) {
        await measureWindow(workloads[(round + i) % workloads.length]);
      }
    }
    // Where the feed's time goes: the server's fixed cost per request, one board lookup, and a
    // feed page of 1 thread against one of 20, in the same windows (3 rounds, interleaved).
    const breakdown: Workload[] = [
      workload('serverInfo', '{ serverInfo { version } }', uncachedServer, () =>
        api.post('{ serverInfo { version } }'),
      ),
      workload('board', 'board(slug) { id name }', uncachedServer, () =>
        api.post('query B($slug: String!) { board(slug: $slug) { id name } }', {
          slug: large.slug,
        }),
      ),
      workload('feed1', 'feed page (first: 1, NEW)', uncachedServer, () =>
        api.post(FEED_QUERY.replace(`first: ${PAGE}`, 'first: 1'), {
          slug: large.slug,
          order: ThreadOrder.NEW,
          after: null,
        }),
      ),
    ];
    for (const workload of breakdown) await drive(1, CLIENTS, workload.request);
    for (let round = 0; round < 3; round++) {
      for (const workload of [...breakdown, ...workloads]) await measureWindow(workload);
    }
    const failed = [...workloads, ...breakdown].reduce((sum, w) => sum + w.failed, 0);
    if (failed > 0) throw new Error(`${failed} requests failed under load`);
    const feedPerSecond = median(feedLoad.windows.slice(0, SECONDS));
    const helloPerSecond = median(helloLoad.windows.slice(0, SECONDS));
    const computedPerSecond = median(computedLoad.windows.slice(0, SECONDS));
    const memberFeedPerSecond = median(memberFeedLoad.windows.slice(0, SECONDS));
    const memberInfoPerSecond = median(memberInfoLoad.windows.slice(0, SECONDS));
    const memberComputedPerSecond = median(memberComputedLoad.windows.slice(0, SECONDS));
    const voterFeedPerSecond = median(voterFeedLoad.windows.slice(0, SECONDS));

    // 7. Report.
    const find = (board: LoadedBoard, order: ThreadOrder, page: 'first' | 'deep') =>
      cases.find((c) => c.board === board && c.order === order && c.page === page) as Case;
    const repoFind = (board: LoadedBoard, order: ThreadOrder, page: 'first' | 'deep') =>
      repo.cases.find((c) => c.board === board && c.order === order && c.page === page);
    const rows: string[] = [];
    const pages: Record<string, unknown> = {};
    let worst = 1;
    const within = (a: number, b: number) => {
      const r = Math.max(a / b, b / a);
      worst = Math.max(worst, r);
      return r <= SAME_COST;
    };
    rows.push(
      '| order | page                  | 1k board p50 / p99 (ms) | large board p50 / p99 (ms) | large ÷ 1k p50 | repository p50 1k / large (ms) |',
      '| ----- | --------------------- | ----------------------- | -------------------------- | -------------- | ------------------------------ |',
    );
    for (const order of ORDERS) {
      for (const page of ['first', 'deep'] as const) {
        const a = stats(find(small, order, page).times);
        const b = stats(find(large, order, page).times);
        const ra = stats(repoFind(small, order, page)?.times ?? []);
        const rb = stats(repoFind(large, order, page)?.times ?? []);
        const ok = within(b.p50, a.p50);
        const label =
          page === 'first'
            ? 'first (1–20)'
            : `deep (${find(small, order, page).from}– / ${find(large, order, page).from.toLocaleString('en')}–)`;
        rows.push(
          `| ${order.padEnd(5)} | ${label.padEnd(21)} | ${`${ms(a.p50)} / ${ms(a.p99)}`.padEnd(23)} | ${`${ms(b.p50)} / ${ms(b.p99)}`.padEnd(26)} | ${`${ratio(b.p50, a.p50)}×${ok ? '' : ' ✗'}`.padEnd(14)} | ${`${ms(ra.p50)} / ${ms(rb.p50)}`.padEnd(30)} |`,
        );
        pages[`${order}.${page}`] = {
          small: { p50: Number(a.p50.toFixed(3)), p99: Number(a.p99.toFixed(3)) },
          large: { p50: Number(b.p50.toFixed(3)), p99: Number(b.p99.toFixed(3)) },
          ratio: ratio(b.p50, a.p50),
          repository: { small: Number(ra.p50.toFixed(3)), large: Number(rb.p50.toFixed(3)) },
        };
      }
      // Depth on the large board: the deep page against the first one.
      within(
        stats(find(large, order, 'deep').times).p50,
        stats(find(large, order, 'first').times).p50,
      );
    }
    // The home feed: its deep page against its first one, per order.
    const homeRows: string[] = [
      '| order | home first (1–20) p50 / p99 (ms) | home deep p50 / p99 (ms) | deep ÷ first p50 |',
      '| ----- | -------------------------------- | ------------------------ | ---------------- |',
    ];
    const home: Record<string, unknown> = {};
    for (const order of ORDERS) {
      const [first, deep] = (['first', 'deep'] as const).map((page) =>
        stats(homeCases.find((c) => c.order === order && c.page === page)?.times ?? []),
      );
      const ok = within(deep.p50, first.p50);
      homeRows.push(
        `| ${order.padEnd(5)} | ${`${ms(first.p50)} / ${ms(first.p99)}`.padEnd(32)} | ${`${ms(deep.p50)} / ${ms(deep.p99)}`.padEnd(24)} | ${`${ratio(deep.p50, first.p50)}×${ok ? '' : ' ✗'}`.padEnd(16)} |`,
      );
      home[order] = {
        first: { p50: Number(first.p50.toFixed(3)), p99: Number(first.p99.toFixed(3)) },
        deep: { p50: Number(deep.p50.toFixed(3)), p99: Number(deep.p99.toFixed(3)) },
        ratio: ratio(deep.p50, first.p50),
      };
    }
    const throughputRatio = feedPerSecond / helloPerSecond;
    const cost = (w: Workload) => ({
      perSecond: Math.round(median(w.windows)),
      serverCpuMs: w.cpuMs === null || w.ok === 0 ? null : Number((w.cpuMs / w.ok).toFixed(3)),
      loadGeneratorCores: Number((w.loadCpuMs / 1000 / w.seconds).toFixed(2)),
    });
    const costs = Object.fromEntries(
      [
        ...breakdown,
        memberInfoLoad,
        memberFeedLoad,
        voterFeedLoad,
        memberComputedLoad,
        computedLoad,
        feedLoad,
        helloLoad,
      ].map((w) => [w.name, { label: w.label, ...cost(w) }]),
    );
    const result = {
      node: process.version,
      nodeEnv: NODE_ENV,
      loadAverage: { start: loadAtStart, end: Number(loadavg()[0].toFixed(2)) },
      threads: { small: SMALL, large: LARGE },
      loadSeconds: Number(large.loadSeconds.toFixed(1)),
      contentMiB: Math.round(sizeMiB),
      repeats: REPEATS,
      pages,
      home: { deepFrom: homeDeep + 1, orders: home },
      worstSpread: Number(worst.toFixed(2)),
      sameCostPass: worst <= SAME_COST,
      throughput: {
        clients: CLIENTS,
        windows: SECONDS,
        feedPerSecond: Math.round(feedPerSecond),
        helloPerSecond: Math.round(helloPerSecond),
        ratio: Number(throughputRatio.toFixed(3)),
        computedPerSecond: Math.round(computedPerSecond),
        computedRatio: Number((computedPerSecond / helloPerSecond).toFixed(3)),
        memberFeedPerSecond: Math.round(memberFeedPerSecond),
        memberFeedRatio: Number((memberFeedPerSecond / helloPerSecond).toFixed(3)),
        memberComputedPerSecond: Math.round(memberComputedPerSecond),
        memberComputedRatio: Number((memberComputedPerSecond / helloPerSecond).toFixed(3)),
        voterFeedPerSecond: Math.round(voterFeedPerSecond),
        voterFeedRatio: Number((voterFeedPerSecond / helloPerSecond).toFixed(3)),
        memberTrivialPerSecond: Math.round(memberInfoPerSecond),
        memberTrivialRatio: Number((memberInfoPerSecond / helloPerSecond).toFixed(3)),
        target: THROUGHPUT_TARGET,
        pass: throughputRatio >= THROUGHPUT_TARGET,
      },
      costs,
    };
    say('');
    say(
      `page latency, one request at a time (${REPEATS} per case after 20 warm-up rounds; ` +
        `boards of ${SMALL.toLocaleString('en')} and ${LARGE.toLocaleString('en')} threads; ` +
        `deep = after ${deepOffset(SMALL)} threads on the 1k board (its last page), ` +
        `after ${deepOffset(LARGE).toLocaleString('en')} on the large one):`,
    );
    rows.forEach(say);
    say('');
    say(`home feed (both boards merged; deep = after ${homeDeep.toLocaleString('en')} threads):`);
    homeRows.forEach(say);
    say(
      `same cost: the widest spread (large vs 1k, deep vs first on the large board and on home) is ` +
        `${result.worstSpread}× (target ≤ ${SAME_COST}×): ${result.sameCostPass ? 'PASS' : 'FAIL'}`,
    );
    say(
      `throughput (${CLIENTS} keep-alive clients, median of ${SECONDS} one-second windows each, ` +
        `rotating): feed first page to visitors ${result.throughput.feedPerSecond} req/s, ` +
        `bare Apollo { hello } ${result.throughput.helloPerSecond} req/s = ` +
        `${result.throughput.ratio}× (target ≥ ${THROUGHPUT_TARGET}): ${result.throughput.pass ? 'PASS' : 'FAIL'}; ` +
        `with the visitor cache off ${result.throughput.computedPerSecond} req/s = ` +
        `${result.throughput.computedRatio}×; a signed-in member's page (with viewerVote) ` +
        `${result.throughput.memberFeedPerSecond} req/s = ${result.throughput.memberFeedRatio}× ` +
        `(computed, caches off: ${result.throughput.memberComputedPerSecond} req/s = ` +
        `${result.throughput.memberComputedRatio}×), the page of a member who voted on ` +
        `${voted.length} of its threads ${result.throughput.voterFeedPerSecond} req/s = ` +
        `${result.throughput.voterFeedRatio}×, ` +
        `a member's { serverInfo { version } } ${result.throughput.memberTrivialPerSecond} req/s = ` +
        `${result.throughput.memberTrivialRatio}×`,
    );
    say('');
    say(
      `cost per request (${CLIENTS} clients; median req/s and CPU per request over all windows ` +
        `of the run, ${SECONDS + 3} for the seven feed, member and hello workloads, 3 for the others):`,
    );
    say(
      '| request                       | req/s | CPU ms per request (answering process) | load generator (cores) |',
    );
    say(
      '| ----------------------------- | ----- | -------------------------------------- | ---------------------- |',
    );
    for (const c of Object.values(costs)) {
      say(
        `| ${c.label.padEnd(29)} | ${String(c.perSecond).padStart(5)} | ${(c.serverCpuMs === null ? 'n/a' : c.serverCpuMs.toFixed(2)).padStart(38)} | ${c.loadGeneratorCores.toFixed(2).padStart(22)} |`,
      );
    }
    say(JSON.stringify(result));
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

runMain(main);
