import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { dataOf, draftRuleSet, publishRuleSet } from '../../utils/compliance-client';
import type { SignedInClient } from '../../utils/identity-client';
import { TEST_REDIS_URL, testRedisPrefix } from '../../utils/redis';
import { TcpProxy } from '../../utils/tcp-proxy';
import { killServer, serverEnv, startServer, type ServerProcess } from '../../utils/server-process';
import type { GraphqlResponse } from '../../utils/test-app';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';
import { type Credentials, NO_RATE_LIMITS, prepareForum } from '../reliability/forum-world';
import { openStores } from '../reliability/store-invariants';
import { RetroactiveRunEntity } from '../../../src/compliance/enforcement/content-enforcement.entity';
import { ComplianceActionCountEntity } from '../../../src/compliance/enforcement/compliance-action-count.entity';
import { HANG_MS, waitFor } from '../../utils/wait';
import { metricValue, scrapeMetrics } from '../../utils/metrics';

const HOLD_WORD = 'holdword';
/** Posts a retroactive run holds: more than two batches of 200, so both instances overlap. */
const RETRO_POSTS = 450;
const RETRO_WORD = 'retroword';
const VOTES_PER_WINDOW = 3;

const CREATE_THREAD = `mutation ($input: CreateThreadInput!) {
  createThread(input: $input) { thread { id status } }
}`;
const CREATE_COMMENT = `mutation ($input: CreateCommentInput!) {
  createComment(input: $input) { comment { id } }
}`;
const SUBSCRIBE = `subscription ($t: ID!) { commentAdded(threadId: $t) { id body } }`;
const QUEUE = `query { reviewQueue(first: 20) { edges { node { id version } } } }`;
const CLAIM = `mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { id version claimedByViewer } }`;

/** A signed-in client of one instance (the session is valid on every instance). */
function clientAt(url: string, who: Credentials): SignedInClient {
  return {
    ...who,
    async gql<T>(query: string, variables: Record<string, unknown> = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphqlResponse<T>;
    },
  };
}

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;

/**
 * Scale-out (SPEC §7, project issue 10): two instances of the built server on one PostgreSQL
 * and one Redis, as behind a load balancer. What one instance does is seen by the other:
 * subscription events, rule publications, rate-limit counts and review claims.
 * Two instances need PostgreSQL (SQLite is one process's store), so this suite runs in the
 * PostgreSQL pass of the tests.
 */
(onPostgres() ? describe : describe.skip)('Two instances on PostgreSQL and Redis', () => {
  let stores: TestStores;
  let redisKeys: ReturnType<typeof testRedisPrefix>;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  /** A reaches Redis through this relay, so a test can take Redis away from A alone. */
  let relay: TcpProxy;
  let admin: Credentials;
  let members: Credentials[];
  let boardId: string;
  const subscriptions: Client[] = [];
  let retroRuleSet: string;

  beforeAll(async () => {
    stores = createTestStores();
    redisKeys = testRedisPrefix();
    const world = await prepareForum(stores, 4, [
      {
        name: 'Held word',
        matcher: { kind: 'KEYWORDS', terms: [HOLD_WORD] },
        action: 'HOLD',
        legalBasis: 'Test policy',
        explanation: 'Posts with this word wait for a moderator.',
      },
    ]);
    ({ admin, members, boardId } = world);
    const redisUrl = new URL(TEST_REDIS_URL);
    relay = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await relay.start();
    const env = serverEnv(stores.env, {
      ...NO_RATE_LIMITS,
      VOTE_RATE_LIMIT_MAX: String(VOTES_PER_WINDOW),
      COMPLIANCE_FOUR_EYES: 'false',
      // Visitors' answers and feed pages are kept long enough that only an announcement can drop them.
      PUBLIC_READ: 'true',
      VISITOR_CACHE_MS: '30000',
      FEED_PAGE_CACHE_MS: '30000',
      MEMBER_CACHE_MS: '30000',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisKeys.prefix,
    });
    // A retroactive run left unfinished (as if its instance had died): both instances resume
    // it when they start.
    retroRuleSet = await prepareUnfinishedRun(env, world.admin, members, boardId);
    // Started together: both find the schema current (migrations take an advisory lock).
    [a, b] = await Promise.all([startServer({ ...env, REDIS_URL: relay.url }), startServer(env)]);
  }, 300_000);

  afterAll(async () => {
    for (const client of subscriptions) void client.dispose();
    await Promise.all([killServer(a), killServer(b)]);
    await relay.stop();
    await redisKeys.dispose();
    await stores.dispose();
  });

  const at = (server: ServerProcess | undefined, who: Credentials): SignedInClient =>
    clientAt(server!.url, who);

  it('both instances report Redis ready', async () => {
    for (const server of [a!, b!]) {
      const res = await fetch(`${server.url}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ info: { redis: { status: 'up' } } });
    }
  });

  it('applies each batch of a retroactive run once when both instances resume it', async () => {
    const stored = await openStores(stores.env);
    try {
      const runs = stored.content.getRepository(RetroactiveRunEntity);
      await waitFor(
        'the resumed run to finish',
        async () => (await runs.findOneByOrFail({ ruleSetId: retroRuleSet })).status === 'DONE',
        { limitMs: 60_000 },
      );
      const run = await runs.findOneByOrFail({ ruleSetId: retroRuleSet });
      expect(run).toMatchObject({ scanned: RETRO_POSTS, changed: RETRO_POSTS });
      // One HOLD counted per held post: a batch applied twice would count its posts twice.
      const held = await stored.content
        .getRepository(ComplianceActionCountEntity)
        .findBy({ jurisdiction: 'US', action: 'HOLD' });
      expect(held.reduce((sum, row) => sum + row.count, 0)).toBe(RETRO_POSTS);
    } finally {
      await stored.close();
    }
  });

  it('delivers a comment created on A to a commentAdded subscription held on B', async () => {
    const author = members[0];
    const { createThread } = await dataOf(
      at(a, author).gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
        input: { boardId, title: 'Across instances', body: 'Does it travel?' },
      }),
    );
    const threadId = createThread.thread.id;

    const client = createClient({
      url: `${b!.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${members[1].token}` },
      retryAttempts: 0,
    });
    subscriptions.push(client);
    const events = client.iterate<{ commentAdded: { id: string; body: string } }>({
      query: SUBSCRIBE,
      variables: { t: threadId },
    });
    const first = events.next();
    // B has subscribed to the thread's channel in Redis before A publishes.
    await waitForSubscriber(`${redisKeys.prefix}comment-added:${threadId}`);

    const { createComment } = await dataOf(
      at(a, members[2]).gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
        input: { threadId, body: 'Written on A, read on B.' },
      }),
    );
    const event = await within(HANG_MS, first);
    expect(event.value).toEqual({
      data: { commentAdded: { id: createComment.comment.id, body: 'Written on A, read on B.' } },
    });
  });

  it("drops B's cached visitor answers when A writes", async () => {
    const feed = async (server: ServerProcess): Promise<string[]> => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ board(slug: "general") { threads(first: 5) { edges { node { title } } } } }',
        }),
      });
      const body = (await res.json()) as {
        data: { board: { threads: { edges: Array<{ node: { title: string } }> } } };
      };
      return body.data.board.threads.edges.map((edge) => edge.node.title);
    };
    const before = await feed(b!);
    expect(await feed(b!)).toEqual(before); // now served from B's cache
    await dataOf(
      at(a, members[1]).gql(CREATE_THREAD, {
        input: { boardId, title: 'Fresh on A', body: 'Visitors on B should see this.' },
      }),
    );
    // The announcement travels A → Redis → B after A's commit: B's next answers show it.
    await waitFor('B to serve the fresh feed', async () => (await feed(b!))[0] === 'Fresh on A');
  });

  it("drops B's shared feed pages, which members read too, when A writes", async () => {
    const reader = at(b, members[2]);
    const feed = async (): Promise<string[]> =>
      (
        await dataOf(
          reader.gql<{
            board: { threads: { edges: Array<{ node: { title: string } }> } };
          }>('{ board(slug: "general") { threads(first: 5) { edges { node { title } } } } }'),
        )
      ).board.threads.edges.map((edge) => edge.node.title);
    const before = await feed();
    expect(await feed()).toEqual(before); // the page's rows now shared on B
    await dataOf(
      at(a, members[1]).gql(CREATE_THREAD, {
        input: { boardId, title: 'Fresh for members', body: 'Members on B should see this.' },
      }),
    );
    await waitFor(
      'B to compute the fresh page',
      async () => (await feed())[0] === 'Fresh for members',
    );
  });

  it("keeps on B a member's page of a thread that A's write did not touch", async () => {
    const THREAD_PAGE = `query ($id: ID!) {
      thread(id: $id) { title commentCount comments(first: 10) { edges { node { body } } } }
    }`;
    const reader = at(b, members[3]);
    const page = (id: string) =>
      dataOf(
        reader.gql<{
          thread: { commentCount: number; comments: { edges: Array<{ node: { body: string } }> } };
        }>(THREAD_PAGE, { id }),
      );
    const hitsOnB = async () =>
      metricValue(await scrapeMetrics(b!.url), 'member_cache_hits_total') ?? 0;
    const ids: string[] = [];
    for (const title of ['Left alone', 'Commented on A']) {
      const { createThread } = await dataOf(
        at(a, members[1]).gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          input: { boardId, title, body: 'A thread of its own.' },
        }),
      );
      ids.push(createThread.thread.id);
    }
    const [untouched, touched] = ids;
    // Each page is kept on B: a read found it among the kept answers.
    for (const id of ids) {
      await waitFor(`B to keep the page of ${id}`, async () => {
        const before = await hitsOnB();
        await page(id);
        return (await hitsOnB()) > before;
      });
    }
    await dataOf(
      at(a, members[2]).gql(CREATE_COMMENT, {
        input: { threadId: touched, body: 'Only this page changes.' },
      }),
    );
    // A's announcement names the thread it touched: B drops that page…
    await waitFor(
      'B to show the comment written on A',
      async () => (await page(touched)).thread.comments.edges.length === 1,
    );
    // …and keeps the other, which a write that named nothing would have dropped too.
    const before = await hitsOnB();
    expect((await page(untouched)).thread.comments.edges).toEqual([]);
    expect(await hitsOnB()).toBe(before + 1);
  });

  it("refuses on B, well within B's 5 s principal cache, a session signed out on A", async () => {
    const who = members[1];
    const { signIn } = await dataOf(
      at(a, who).gql<{ signIn: { token: string } }>(
        'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
        { e: who.email, p: who.password },
      ),
    );
    const session = { ...who, token: signIn.token };
    const viewer = () => at(b, session).gql('{ viewer { roles } }');
    expect(codeOf(await viewer())).toBeUndefined();
    expect(codeOf(await viewer())).toBeUndefined(); // B now reuses the checked session
    await dataOf(at(a, session).gql('mutation { signOut }'));
    const signedOut = Date.now();
    // The announcement travels A → Redis → B after A's commit; without it B would accept the
    // session for up to 5 s more.
    await waitFor(
      'B to refuse the signed-out session',
      async () => codeOf(await viewer()) === 'UNAUTHENTICATED',
      { limitMs: 2_500 },
    );
    process.stdout.write(`sign-out on A refused on B after ${Date.now() - signedOut} ms\n`);
  });

  it('blocks on A, within a second, a word a rule set published on B forbids', async () => {
    const word = 'scaleoutforbidden';
    const author = at(a, members[3]);
    const post = (n: number) =>
      author.gql(CREATE_THREAD, {
        input: { boardId, title: `Attempt ${n}`, body: `This mentions ${word}.` },
      });
    // Before: A publishes it (the rule does not exist yet).
    expect((await post(0)).errors).toBeUndefined();

    const officer = at(b, admin);
    await publishUsRule(officer, word, 'BLOCK');
    const published = Date.now();

    // How soon is measured by `npm run bench:scale`; here it must happen at all.
    let n = 0;
    await waitFor('the rule published on B to block on A', async () => {
      const answer = await post(++n);
      if (codeOf(answer) === 'CONTENT_BLOCKED') return true;
      if (answer.errors !== undefined) throw new Error(JSON.stringify(answer.errors));
      return false;
    });
    process.stdout.write(`rule published on B blocks on A after ${Date.now() - published} ms\n`);
  });

  it('counts the voting limit across both instances', async () => {
    const { createThread } = await dataOf(
      at(a, members[0]).gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
        input: { boardId, title: 'Vote on me', body: 'Up or down, from either instance.' },
      }),
    );
    const voter = members[2];
    const outcomes: unknown[] = [];
    for (const [server, value] of [
      [a, 1],
      [b, -1],
      [a, 1],
      [b, 0],
      [a, 1],
    ] as const) {
      const answer = await at(server, voter).gql(
        'mutation ($id: ID!, $v: Int!) { vote(contentId: $id, value: $v) }',
        { id: createThread.thread.id, v: value },
      );
      outcomes.push(codeOf(answer) ?? 'OK');
    }
    // Three votes in the window, then refused on either instance: with counters per
    // instance, A and B would each have seen at most three and let all five through.
    expect(outcomes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('refuses on B a claim of a review item claimed on A', async () => {
    // The queue holds the posts the retroactive run held (none of them by members[0]).
    const secondModerator = members[0];
    await dataOf(
      at(a, admin).gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: secondModerator.email,
      }),
    );
    const queue = await dataOf(
      at(a, admin).gql<{
        reviewQueue: { edges: Array<{ node: { id: string; version: number } }> };
      }>(QUEUE),
    );
    const item = queue.reviewQueue.edges[0].node;

    const claimed = await dataOf(
      at(a, admin).gql<{ claimReviewItem: { version: number; claimedByViewer: boolean } }>(CLAIM, {
        id: item.id,
        v: item.version,
      }),
    );
    expect(claimed.claimReviewItem.claimedByViewer).toBe(true);
    // B is asked with the item's current version: refused because it is claimed, not stale.
    const onB = await at(b, secondModerator).gql(CLAIM, {
      id: item.id,
      v: claimed.claimReviewItem.version,
    });
    expect(onB.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CLAIMED' });
  });

  it('keeps A serving while it has lost Redis, and catches up when Redis is back', async () => {
    const word = 'missedwhileaway';
    const author = at(a, members[3]);
    const post = (title: string) =>
      author.gql(CREATE_THREAD, { input: { boardId, title, body: `About ${word}.` } });

    relay.cut();
    await waitFor(
      'A to report Redis lost',
      async () => (await fetch(`${a!.url}/health/ready`)).status === 503,
    );

    // Writes still succeed (their events are lost, not their answers), and the limits keep
    // counting in A's own memory.
    expect((await post('While Redis is away')).errors).toBeUndefined();
    const voted = await author.gql('mutation ($id: ID!) { vote(contentId: $id, value: 1) }', {
      id: (
        await dataOf(
          at(b, members[0]).gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
            input: { boardId, title: 'Vote during the outage', body: 'Still counted.' },
          }),
        )
      ).createThread.thread.id,
    });
    expect(voted.errors).toBeUndefined();

    // A rule published on B meanwhile: its announcement cannot reach A.
    const officer = at(b, admin);
    await publishUsRule(officer, word, 'BLOCK');
    expect((await post('Still allowed on A')).errors).toBeUndefined();

    relay.restore();
    await waitFor(
      'A to be ready again',
      async () => (await fetch(`${a!.url}/health/ready`)).status === 200,
    );
    // Back on Redis, A rebuilt its rules: the missed publication now applies there too.
    await waitFor(
      'the missed rule to apply on A',
      async () => codeOf(await post('After the outage')) === 'CONTENT_BLOCKED',
    );
  });
});

/** Resolves once some connection has subscribed to `channel` in Redis. */
async function waitForSubscriber(channel: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    await waitFor(`a subscriber to ${channel}`, async () => {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      return Number(count) > 0;
    });
  } finally {
    await redis.quit();
  }
}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * On a server of its own: RETRO_POSTS threads with RETRO_WORD, then a US version holding that
 * word published without applying it retroactively; the server is then killed and a run of
 * that version is recorded as unfinished at its start. Returns the version's id.
 */
async function prepareUnfinishedRun(
  env: NodeJS.ProcessEnv,
  admin: Credentials,
  members: readonly Credentials[],
  boardId: string,
): Promise<string> {
  const server = await startServer(env);
  try {
    const posts = Array.from({ length: RETRO_POSTS }, (_, i) => i);
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (const i of posts.filter((n) => n % 8 === w)) {
        await dataOf(
          // Not by members[0], who becomes a moderator of these posts later.
          clientAt(server.url, members[1 + (i % (members.length - 1))]).gql(CREATE_THREAD, {
            input: { boardId, title: `Old post ${i}`, body: `Before the rule: ${RETRO_WORD}.` },
          }),
        );
      }
    });
    await Promise.all(writers);
    const officer = clientAt(server.url, admin);
    const version = await publishUsRule(officer, RETRO_WORD, 'HOLD');
    await killServer(server);
    const stored = await openStores(env as Record<string, string>);
    try {
      await stored.content.getRepository(RetroactiveRunEntity).insert({
        ruleSetId: version,
        jurisdiction: 'US',
        status: 'RUNNING',
        phase: 'THREAD',
        afterCreatedAt: null,
        afterId: null,
        actorHandle: 'Staff Quiet Heron 1234',
        actorRole: 'COMPLIANCE_OFFICER',
        scanned: 0,
        changed: 0,
        startedAt: new Date(),
        finishedAt: null,
      });
    } finally {
      await stored.close();
    }
    return version;
  } finally {
    await killServer(server);
  }
}

/** Publishes a new US version: the active rules plus one rule on `word`; returns its id. */
async function publishUsRule(
  officer: SignedInClient,
  word: string,
  action: 'BLOCK' | 'HOLD',
): Promise<string> {
  const version = await draftRuleSet(
    officer,
    'US',
    [
      {
        name: `${action} ${word}`,
        matcher: { kind: 'KEYWORDS', terms: [word] },
        action,
        legalBasis: 'Test policy',
        explanation: `${action} for this word.`,
      },
    ],
    true,
  );
  await publishRuleSet(officer, version);
  return version;
}
