import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dataOf, forbidTiananmenInChina, grantOfficers } from '../../utils/compliance-client';
import { memberCacheCounters, metricValue, scrapeMetrics } from '../../utils/metrics';
import { countApolloRequests, countExpressRequests } from '../../utils/request-counters';

const FEED = `query Feed($first: Int!) {
  board(slug: "general") {
    threads(first: $first) {
      edges { cursor node { id title score viewerVote commentCount createdAt
        author { handle employerLabel isOriginalPoster isViewer } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const HOME = `query Home { home(first: 50) { edges { node { id title board { slug } } } } }`;

interface FeedNode {
  id: string;
  title: string;
  viewerVote: number;
  author: { isViewer: boolean };
}
interface AliasedView {
  board: {
    latest: {
      items: Array<{ thread: { id: string; mine: number } }>;
      edges: Array<{ node: { viewerVote: number } }>;
    };
  };
}
interface FeedView {
  board: { threads: { edges: Array<{ cursor: string; node: FeedNode }> } };
}

const CREATE_THREAD = `mutation ($b: ID!, $t: String!) {
  createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } }
}`;

/**
 * Members' feed reads answered from another member's answer (MemberAnswers): only when it is
 * exactly the answer the reader would have been given.
 */
describe("Members' shared feed answers", () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let readerA: SignedInClient;
  let readerB: SignedInClient;
  let voter: SignedInClient;
  let outsider: SignedInClient;
  let officer: SignedInClient;
  let generalId: string;
  const mine: string[] = [];
  let withheldId: string;
  let computations = 0;

  const counters = () => memberCacheCounters(env.app.url);
  /** A member's read as if from `country` (the trusted proxy's header). */
  const readFrom = <T>(client: SignedInClient, query: string, country: string) =>
    dataOf(
      env.app.gql<T>(
        query,
        { first: 50 },
        { authorization: `Bearer ${client.token}`, 'x-country': country },
      ),
    );
  const feed = (client: SignedInClient) => client.gql<FeedView>(FEED, { first: 50 });
  /** What an answer says: its status, data and errors (not its request's headers). */
  const bodyOf = ({
    status,
    data,
    errors,
  }: {
    status: number;
    data?: unknown;
    errors?: unknown;
  }) => ({
    status,
    data,
    errors,
  });
  /** The answer computed for `client`: a query text no answer is kept for yet (a comment makes it new). */
  const computedFor = async (
    client: SignedInClient,
    query: string,
    variables: Record<string, unknown> = { first: 50 },
  ) => {
    const before = await counters();
    const answer = await client.gql(`# computed ${++computations}\n${query}`, variables);
    expect((await counters()).misses).toBe(before.misses + 1);
    return bodyOf(answer);
  };
  const nodes = (view: FeedView) => view.board.threads.edges.map((edge) => edge.node);

  beforeAll(async () => {
    env = await createTwoCompanyTestApp();
    const { app, smtp, admin } = env;
    generalId = await createGeneralBoard(admin);
    const officerB = await signUpMember(app, smtp, { jurisdiction: 'DE' });
    [author, readerA, readerB, voter, outsider, officer] = await Promise.all([
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
    ]);
    let n = 0;
    for (const member of [author, readerA, readerB, voter, officer])
      expect(
        (await verifyEmployer(app, smtp, member, `m${n++}@initech.example`)).errors,
      ).toBeUndefined();
    expect((await verifyEmployer(app, smtp, outsider, 'o@globex.example')).errors).toBeUndefined();
    await grantOfficers(admin, [officer, officerB]);
    // China forbids a word: a thread with it is withheld there (its author is in the US).
    await forbidTiananmenInChina(officer, officerB);
    for (const title of ['first', 'second', 'third']) {
      const created = await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          b: generalId,
          t: title,
        }),
      );
      mine.push(created.createThread.thread.id);
    }
    withheldId = (
      await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          b: generalId,
          t: 'Remembering Tiananmen',
        }),
      )
    ).createThread.thread.id;
  });
  afterAll(async () => env.close());

  it('gives a member the answer another member of the same scope was given, once it is theirs too', async () => {
    const first = await feed(readerA);
    const before = await counters();
    const second = await feed(readerB);
    const after = await counters();
    expect(second.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(after.hits).toBe(before.hits + 1);
    const shown = nodes(second.data!);
    expect(shown.map((node) => node.id).sort()).toEqual([...mine, withheldId].sort());
    for (const node of shown) {
      expect(node.viewerVote).toBe(0);
      expect(node.author.isViewer).toBe(false);
    }
  });

  it("fills a member's own votes into the kept answer: what would have been computed for them", async () => {
    await dataOf(voter.gql('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', { c: mine[1] }));
    await feed(readerA); // kept again after the vote's write dropped every answer
    const computed = await computedFor(voter, FEED);
    const before = await counters();
    const voted = await feed(voter);
    const after = await counters();
    expect(after.hits).toBe(before.hits + 1);
    expect(after.misses).toBe(before.misses);
    expect(bodyOf(voted)).toEqual(computed);
    for (const node of nodes(voted.data!))
      expect(node.viewerVote).toBe(node.id === mine[1] ? 1 : 0);
    // And the others still get the kept one, with their own (no) votes.
    const other = nodes(await dataOf(feed(readerB)));
    expect(other.every((node) => node.viewerVote === 0)).toBe(true);
    expect((await counters()).hits).toBe(after.hits + 1);
  });

  it('keeps the answer computed for a member who voted with no vote of theirs in it', async () => {
    await dataOf(officer.gql(CREATE_THREAD, { b: generalId, t: 'drop the kept answers' }));
    const votedFirst = nodes(await dataOf(feed(voter)));
    expect(votedFirst.find((node) => node.id === mine[1])?.viewerVote).toBe(1);
    const before = await counters();
    const other = await feed(readerB);
    expect((await counters()).hits).toBe(before.hits + 1);
    expect(nodes(other.data!).every((node) => node.viewerVote === 0)).toBe(true);
    expect(bodyOf(other)).toEqual(await computedFor(readerB, FEED));
  });

  it("keeps apart the checks of one session's reads at the same time", async () => {
    // The voter's two pages are computed at once under one session: each holds a vote of
    // theirs, so each is kept without it, and the voter's own answers hold theirs.
    await dataOf(voter.gql('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', { c: mine[2] }));
    const [small, large] = await Promise.all([
      dataOf(voter.gql<FeedView>(FEED, { first: 5 })),
      dataOf(voter.gql<FeedView>(FEED, { first: 50 })),
    ]);
    expect(nodes(small).some((node) => node.viewerVote === 1)).toBe(true);
    expect(nodes(large).some((node) => node.viewerVote === 1)).toBe(true);
    for (const first of [5, 50]) {
      const other = nodes(await dataOf(readerB.gql<FeedView>(FEED, { first })));
      expect(other.every((node) => node.viewerVote === 0)).toBe(true);
    }
  });

  it("fills in the author's isViewer on their threads", async () => {
    await feed(readerA);
    const computed = await computedFor(author, FEED);
    const before = await counters();
    const answer = await feed(author);
    expect((await counters()).hits).toBe(before.hits + 1);
    expect(bodyOf(answer)).toEqual(computed);
    expect(
      nodes(answer.data!)
        .filter((node) => node.author.isViewer)
        .map((node) => node.id)
        .sort(),
    ).toEqual([...mine, withheldId].sort());
  });

  it('fills own values in wherever aliases and fragments put them', async () => {
    const query = `query Aliased($first: Int!) {
      board(slug: "general") {
        latest: threads(first: $first) {
          items: edges { thread: node { id mine: viewerVote ...Who author { me: isViewer } } }
          edges { node { viewerVote } }
        }
        threads(first: 2) { edges { node { ... on Thread { viewerVote } } } }
      }
    }
    fragment Who on Thread { author { isViewer } }`;
    await feed(readerA);
    await dataOf(readerA.gql(query, { first: 50 }));
    for (const client of [author, voter, readerB]) {
      const computed = await computedFor(client, query);
      const before = await counters();
      const answer = await client.gql(query, { first: 50 });
      expect((await counters()).hits).toBe(before.hits + 1);
      expect(bodyOf(answer)).toEqual(computed);
    }
    const voted = (await dataOf(voter.gql<AliasedView>(query, { first: 50 }))).board;
    const index = voted.latest.items.findIndex((item) => item.thread.id === mine[1]);
    expect(voted.latest.items[index].thread.mine).toBe(1);
    expect(voted.latest.edges[index].node.viewerVote).toBe(1);
  });

  it('gives a conditionally selected own value only from a computed answer', async () => {
    const query = `query Conditional($first: Int!, $votes: Boolean!) {
      board(slug: "general") {
        threads(first: $first) { edges { node { id viewerVote @include(if: $votes) } } }
      }
    }`;
    const variables = { first: 50, votes: true };
    await dataOf(readerA.gql(query, variables));
    let before = await counters();
    const voted = await voter.gql(query, variables);
    expect(await counters()).toEqual({ hits: before.hits, misses: before.misses + 1 });
    expect(bodyOf(voted)).toEqual(await computedFor(voter, query, variables));
    before = await counters();
    await dataOf(readerB.gql(query, variables));
    expect((await counters()).hits).toBe(before.hits + 1);
  });

  it('shows a member reading from where their thread is withheld that thread, and nobody else', async () => {
    // readerA's answer in the US and China scope leaves the withheld thread out, and is kept.
    const elsewhere = nodes(await readFrom<FeedView>(readerA, FEED, 'CN'));
    expect(elsewhere.map((node) => node.id)).not.toContain(withheldId);
    const before = await counters();
    const own = nodes(await readFrom<FeedView>(author, FEED, 'CN'));
    expect(own.map((node) => node.id)).toContain(withheldId);
    expect((await counters()).hits).toBe(before.hits);
    const other = nodes(await readFrom<FeedView>(readerB, FEED, 'CN'));
    expect(other.map((node) => node.id)).not.toContain(withheldId);
    expect(other).toEqual(elsewhere);
  });

  it("never gives one company's members another's answer", async () => {
    const companyBoard = (
      await dataOf(
        readerA.gql<{
          viewer: { memberships: Array<{ company: { board: { id: string } | null } }> };
        }>('{ viewer { memberships { company { board { id } } } } }'),
      )
    ).viewer.memberships[0].company.board!.id;
    await dataOf(author.gql(CREATE_THREAD, { b: companyBoard, t: 'initech only' }));
    type Home = { home: { edges: Array<{ node: { title: string } }> } };
    const insider = await dataOf(readerA.gql<Home>(HOME));
    expect(insider.home.edges.map((edge) => edge.node.title)).toContain('initech only');
    const outside = await dataOf(outsider.gql<Home>(HOME));
    expect(outside.home.edges.map((edge) => edge.node.title)).not.toContain('initech only');
  });

  it('never answers staff from it, nor an operation with a field outside the shared ones', async () => {
    await feed(readerA);
    const before = await counters();
    await dataOf(feed(officer));
    await dataOf(
      readerB.gql(
        '{ board(slug: "general") { threads(first: 5) { edges { node { id notices { action } } } } } }',
      ),
    );
    expect(await counters()).toEqual(before);
  });

  it("sends a member's kept answer at the front door, as it went out the first time", async () => {
    let [expressRequests, apolloRequests] = [0, 0];
    countExpressRequests(env.app.app, () => (expressRequests += 1));
    countApolloRequests(env.app.app, () => (apolloRequests += 1));
    const post = (client: SignedInClient, query = FEED) =>
      fetch(`${env.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body: JSON.stringify({ query, operationName: 'Feed', variables: { first: 7 } }),
      });
    const answer = async (response: Response) => ({
      status: response.status,
      headers: [...response.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)),
      body: await response.text(),
    });
    await dataOf(author.gql(CREATE_THREAD, { b: generalId, t: 'door' })); // nothing kept now
    const computed = await answer(await post(readerA));
    const before = [expressRequests, apolloRequests];
    const hit = await post(readerB);
    expect([expressRequests, apolloRequests]).toEqual(before);
    expect(hit.headers.get('x-request-id')).toMatch(/./);
    expect(await answer(hit)).toEqual(computed);
    // The voter's answer is the kept one with their votes filled in, sent at the door too, as
    // Apollo would have sent it (its length and ETag its own).
    const voted = await answer(await post(voter));
    expect([expressRequests, apolloRequests]).toEqual(before);
    const votes = (JSON.parse(voted.body) as { data: FeedView }).data;
    expect(nodes(votes).some((node) => node.viewerVote === 1)).toBe(true);
    const asComputed = await answer(await post(voter, `# computed at the door\n${FEED}`));
    expect([expressRequests, apolloRequests]).toEqual([before[0] + 1, before[1] + 1]);
    expect(voted).toEqual(asComputed);
    // Kept from the voter's own answer, without their votes: sent at the door from then on,
    // as Apollo would send it to the reader.
    const count = () => [expressRequests, apolloRequests];
    await dataOf(officer.gql(CREATE_THREAD, { b: generalId, t: 'door, again' }));
    const votersOwn = await answer(await post(voter));
    expect(votersOwn.body).toContain('"viewerVote":1');
    let atTheDoor = count();
    const firstGiven = await answer(await post(readerA));
    expect(count()).toEqual(atTheDoor);
    expect(firstGiven.body).not.toContain('"viewerVote":1');
    expect(firstGiven).toEqual(await answer(await post(readerA, `# computed: A\n${FEED}`)));
    // Kept from an answer that did not go out through the door (a body with extensions): its
    // bytes are kept from the next reader's, a voter's, without their votes.
    await dataOf(officer.gql(CREATE_THREAD, { b: generalId, t: 'door, once more' }));
    const notPlain = await fetch(`${env.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readerA.token}` },
      body: JSON.stringify({
        query: FEED,
        operationName: 'Feed',
        variables: { first: 7 },
        extensions: {},
      }),
    });
    expect(notPlain.status).toBe(200);
    const throughApollo = count();
    const votersHit = await answer(await post(voter));
    expect(count()).toEqual([throughApollo[0] + 1, throughApollo[1] + 1]);
    expect(votersHit).toEqual(await answer(await post(voter, `# computed: voter\n${FEED}`)));
    atTheDoor = count();
    const neutralHit = await answer(await post(readerB));
    expect(count()).toEqual(atTheDoor);
    expect(neutralHit).toEqual(await answer(await post(readerB, `# computed: B\n${FEED}`)));
    // A session that names no one is refused as before, past the door.
    const forged = await env.app.gql(
      FEED,
      { first: 7 },
      { authorization: 'Bearer ' + 'x'.repeat(40) },
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('drops kept answers at every content write', async () => {
    await feed(readerA);
    await dataOf(author.gql(CREATE_THREAD, { b: generalId, t: 'fresh news' }));
    const titles = nodes(await dataOf(feed(readerB))).map((node) => node.title);
    expect(titles).toContain('fresh news');
  });
});

describe("Members' shared feed answers and the request budget", () => {
  let env: IdentityTestApp;

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({ RATE_LIMIT_MAX: '5' });
  });
  afterAll(async () => env.close());

  it("costs the reader's address the same budget as a computed answer", async () => {
    const { app, smtp, admin } = env;
    const boardId = await createGeneralBoard(admin);
    const author = await signUpMember(app, smtp);
    const reader = await signUpMember(app, smtp);
    expect((await verifyEmployer(app, smtp, author, 'a@initech.example')).errors).toBeUndefined();
    expect((await verifyEmployer(app, smtp, reader, 'r@initech.example')).errors).toBeUndefined();
    await dataOf(author.gql(CREATE_THREAD, { b: boardId, t: 'budget' }));
    await dataOf(admin.gql<FeedView>(FEED, { first: 5 })); // staff: computed, never kept
    // Computed on the board field's own budget, and kept without the author's own values.
    await dataOf(author.gql<FeedView>(FEED, { first: 5 }));
    const hitsBefore = metricValue(await scrapeMetrics(app.url), 'member_cache_hits_total') ?? 0;
    const codes: Array<string | undefined> = [];
    // The reader's reads are served from it on the cache's budget of five; the sixth and the
    // seventh are refused as the guard refuses.
    for (let i = 0; i < 7; i++) {
      const res = await reader.gql<FeedView>(FEED, { first: 5 });
      codes.push(res.errors?.[0]?.extensions?.code as string | undefined);
    }
    expect(codes).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    const hitsAfter = metricValue(await scrapeMetrics(app.url), 'member_cache_hits_total') ?? 0;
    expect(hitsAfter - hitsBefore).toBe(7);
  });
});
