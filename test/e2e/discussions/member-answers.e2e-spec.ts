import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { metricValue, scrapeMetrics } from '../../utils/metrics';
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

  const counters = async () => {
    const text = await scrapeMetrics(env.app.url);
    return {
      hits: metricValue(text, 'member_cache_hits_total') ?? 0,
      misses: metricValue(text, 'member_cache_misses_total') ?? 0,
    };
  };
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
    const ruleSet = await draftRuleSet(officer, 'CN', [
      {
        name: 'Sensitive history',
        matcher: { kind: 'KEYWORDS', terms: ['tiananmen'] },
        action: 'BLOCK',
        legalBasis: 'Cybersecurity Law art. 12',
        explanation: 'Not allowed in China.',
      },
    ]);
    await publishRuleSet(officerB, ruleSet, false);
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

  it('computes the answer of a member who voted on one of its threads, with their vote', async () => {
    await dataOf(voter.gql('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', { c: mine[1] }));
    await feed(readerA); // kept again after the vote's write dropped every answer
    const before = await counters();
    const voted = nodes(await dataOf(feed(voter)));
    const after = await counters();
    expect(after.hits).toBe(before.hits);
    expect(after.misses).toBe(before.misses + 1);
    for (const node of voted) expect(node.viewerVote).toBe(node.id === mine[1] ? 1 : 0);
    // And the others still get the kept one, with their own (no) votes.
    const other = nodes(await dataOf(feed(readerB)));
    expect(other.every((node) => node.viewerVote === 0)).toBe(true);
    expect((await counters()).hits).toBe(after.hits + 1);
  });

  it("keeps apart the checks of one session's reads at the same time", async () => {
    // The voter's two pages are computed at once under one session: neither is theirs to
    // share (they voted on a thread of each), so neither may be kept for others.
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

  it("computes the author's answer, with isViewer on their threads", async () => {
    await feed(readerA);
    const own = nodes(await dataOf(feed(author)));
    expect(
      own
        .filter((node) => node.author.isViewer)
        .map((node) => node.id)
        .sort(),
    ).toEqual([...mine, withheldId].sort());
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
    const post = (client: SignedInClient) =>
      fetch(`${env.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body: JSON.stringify({ query: FEED, operationName: 'Feed', variables: { first: 7 } }),
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
    // The voter's answer is not the kept one: computed by Apollo, with their vote.
    const voted = await post(voter);
    expect([expressRequests, apolloRequests]).toEqual([before[0] + 1, before[1] + 1]);
    const votes = (JSON.parse(await voted.text()) as { data: FeedView }).data;
    expect(nodes(votes).some((node) => node.viewerVote === 1)).toBe(true);
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
    await dataOf(author.gql<FeedView>(FEED, { first: 5 })); // computed, and not kept: the author's
    await dataOf(admin.gql<FeedView>(FEED, { first: 5 })); // staff: computed, never kept
    const hitsBefore = metricValue(await scrapeMetrics(app.url), 'member_cache_hits_total') ?? 0;
    const codes: Array<string | undefined> = [];
    // The first read keeps the answer (the board field's own budget), the next five are served
    // from it on the cache's budget of five, the sixth is refused as the guard refuses.
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
      undefined,
      'RATE_LIMITED',
    ]);
    const hitsAfter = metricValue(await scrapeMetrics(app.url), 'member_cache_hits_total') ?? 0;
    expect(hitsAfter - hitsBefore).toBe(6);
  });
});
