import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dataOf, forbidTiananmenInChina, grantOfficers } from '../../utils/compliance-client';
import { memberCacheCounters } from '../../utils/metrics';
import { countStatements } from '../../utils/sql-statements';

const THREAD = `query Thread($id: ID!) {
  thread(id: $id) {
    id title body score viewerVote commentCount
    author { handle employerLabel isOriginalPoster isViewer }
    comments(first: 20) {
      edges { cursor node { id body score viewerVote author { handle isOriginalPoster isViewer } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const FEED = `{ board(slug: "general") { threads(first: 50) { edges { node { id score commentCount } } } } }`;

interface ThreadView {
  thread: {
    id: string;
    title: string;
    score: number;
    viewerVote: number;
    commentCount: number;
    author: { isViewer: boolean };
    comments: {
      edges: Array<{
        cursor: string;
        node: {
          id: string;
          body: string;
          score: number;
          viewerVote: number;
          author: { isViewer: boolean };
        };
      }>;
    };
  } | null;
}

const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } }
}`;
const CREATE_COMMENT = `mutation ($t: ID!, $b: String!) {
  createComment(input: { threadId: $t, body: $b }) { comment { id } }
}`;
const VOTE = 'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }';

/** An answer with its cursors (sealed positions, each sealed afresh when computed) blanked. */
function withoutCursors(view: ThreadView): ThreadView {
  return JSON.parse(
    JSON.stringify(view, (key, value: unknown) =>
      key === 'cursor' || key === 'endCursor' ? 'sealed' : value,
    ),
  ) as ThreadView;
}

/**
 * Members' reads of a thread's page answered from another member's answer (MemberAnswers):
 * only when it is exactly the answer the reader would have been given, and dropped by the
 * writes that touch that thread (and by every write that declares nothing), not by others.
 */
describe("Members' shared thread pages", () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let commenter: SignedInClient;
  let readerA: SignedInClient;
  let readerB: SignedInClient;
  let voter: SignedInClient;
  let generalId: string;
  let threadX: string;
  let threadY: string;
  let commentX: string;
  let computations = 0;

  const counters = () => memberCacheCounters(env.app.url);
  const headersOf = (client: SignedInClient, country?: string) => ({
    authorization: `Bearer ${client.token}`,
    ...(country === undefined ? {} : { 'x-country': country }),
  });
  const read = (client: SignedInClient, id: string, country?: string, query = THREAD) =>
    env.app.gql<ThreadView>(query, { id }, headersOf(client, country));
  /** A read and whether it was answered from a kept answer (true), computed (false), or neither (null). */
  const readCounted = async (client: SignedInClient, id: string, country?: string) => {
    const before = await counters();
    const answer = await read(client, id, country);
    const after = await counters();
    expect(answer.errors).toBeUndefined();
    const hit =
      after.hits === before.hits + 1 ? true : after.misses === before.misses + 1 ? false : null;
    return { data: answer.data!, hit };
  };
  /**
   * The answer computed for `client` (a query text no answer is kept for: a comment makes it
   * new), its cursors aside: a computed page seals its comments' positions afresh.
   */
  const computedFor = async (client: SignedInClient, id: string, country?: string) => {
    const answer = await read(client, id, country, `# computed ${++computations}\n${THREAD}`);
    expect(answer.errors).toBeUndefined();
    return withoutCursors(answer.data!);
  };
  const createThread = async (client: SignedInClient, title: string, body = 'text') =>
    (
      await dataOf(
        client.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          b: generalId,
          t: title,
          body,
        }),
      )
    ).createThread.thread.id;
  const comment = async (client: SignedInClient, threadId: string, body: string) =>
    (
      await dataOf(
        client.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
          t: threadId,
          b: body,
        }),
      )
    ).createComment.comment.id;

  beforeAll(async () => {
    env = await createTwoCompanyTestApp();
    const { app, smtp, admin } = env;
    generalId = await createGeneralBoard(admin);
    const [officerA, officerB] = await Promise.all([
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
    ]);
    [author, commenter, readerA, readerB, voter] = await Promise.all(
      [0, 1, 2, 3, 4].map(() => signUpMember(app, smtp, { jurisdiction: 'US' })),
    );
    let n = 0;
    for (const member of [author, commenter, readerA, readerB, voter, officerA])
      expect(
        (await verifyEmployer(app, smtp, member, `t${n++}@initech.example`)).errors,
      ).toBeUndefined();
    await grantOfficers(admin, [officerA, officerB]);
    // China forbids a word: a post with it is withheld there (its author is in the US).
    await forbidTiananmenInChina(officerA, officerB);
    threadX = await createThread(author, 'thread x');
    threadY = await createThread(author, 'thread y');
    commentX = await comment(commenter, threadX, 'a comment on x');
    await comment(author, threadX, 'the author answers');
    await comment(commenter, threadY, 'a comment on y');
  });
  afterAll(async () => env.close());

  it('gives a member the page another member of the same scope was given, with their own values filled in', async () => {
    await dataOf(voter.gql(VOTE, { c: threadX, v: 1 }));
    await dataOf(voter.gql(VOTE, { c: commentX, v: -1 }));
    const first = await readCounted(readerA, threadX);
    expect(first.hit).toBe(false);
    for (const client of [readerB, author, commenter, voter]) {
      const computed = await computedFor(client, threadX);
      const given = await readCounted(client, threadX);
      expect(given.hit).toBe(true);
      expect(withoutCursors(given.data)).toEqual(computed);
    }
    // A kept page's cursors are its readers' too: the page goes on from them.
    const kept = (await readCounted(readerB, threadX)).data.thread!;
    const rest = await dataOf(
      readerB.gql<{ thread: { comments: { edges: Array<{ node: { id: string } }> } } }>(
        'query ($id: ID!, $after: String!) { thread(id: $id) { comments(first: 5, after: $after) { edges { node { id } } } } }',
        { id: threadX, after: kept.comments.edges[0].cursor },
      ),
    );
    expect(rest.thread.comments.edges.map((edge) => edge.node.id)).toEqual([
      kept.comments.edges[1].node.id,
    ]);
    const voters = (await readCounted(voter, threadX)).data.thread!;
    expect(voters.viewerVote).toBe(1);
    expect(voters.comments.edges.map((edge) => edge.node.viewerVote)).toEqual([-1, 0]);
    // Given the kept page again (their session just checked), the reader costs one statement:
    // their votes on the thread and on its comments, read together.
    const statements = await countStatements(env.app, async () => {
      expect((await read(voter, threadX)).data).toEqual({ thread: voters });
    });
    expect(statements).toBe(1);
    // Computed for them (a query text no answer is kept for yet), their votes are read as the
    // fields resolve (the thread's, then its comments'), and not again to keep it neutral.
    const text = `# voter's own\n${THREAD}`;
    const votesRead = await countStatements(
      env.app,
      async () => expect((await read(voter, threadX, undefined, text)).data).toBeDefined(),
      (sql) => sql.includes('"votes"'),
    );
    expect(votesRead).toBe(2);
    const keptNeutral = (await read(readerB, threadX, undefined, text)).data!.thread!;
    expect(keptNeutral.viewerVote).toBe(0);
    expect(keptNeutral.comments.edges.map((edge) => edge.node.viewerVote)).toEqual([0, 0]);
    const authors = (await readCounted(author, threadX)).data.thread!;
    expect(authors.author.isViewer).toBe(true);
    expect(authors.comments.edges.map((edge) => edge.node.author.isViewer)).toEqual([false, true]);
    const others = (await readCounted(readerB, threadX)).data.thread!;
    expect(others.viewerVote).toBe(0);
    expect(others.author.isViewer).toBe(false);
    expect(others.comments.edges.every((edge) => edge.node.viewerVote === 0)).toBe(true);
  });

  it("drops a thread's page at the writes that touch it, and only those", async () => {
    await readCounted(readerA, threadX);
    await readCounted(readerA, threadY);
    const feedHits = async () => {
      const before = await counters();
      await dataOf(readerA.gql(FEED));
      return (await counters()).hits === before.hits + 1;
    };
    await feedHits();
    // A vote on a comment of X: X's page is computed again with the new score; Y's page and the
    // board's feed (which shows no comment's score) are still kept.
    await dataOf(readerB.gql(VOTE, { c: commentX, v: 1 }));
    const x = await readCounted(readerB, threadX);
    expect(x.hit).toBe(false);
    expect(withoutCursors(x.data)).toEqual(await computedFor(readerB, threadX));
    expect((await readCounted(readerB, threadY)).hit).toBe(true);
    expect(await feedHits()).toBe(true);
    // A comment on Y: Y's page and the feed (its comment count) are computed again; X's is kept.
    await comment(readerA, threadY, 'news on y');
    const y = await readCounted(readerB, threadY);
    expect(y.hit).toBe(false);
    expect(y.data.thread!.comments.edges.map((edge) => edge.node.body)).toContain('news on y');
    expect((await readCounted(readerB, threadX)).hit).toBe(true);
    expect(await feedHits()).toBe(false);
    // A vote on thread X: X's page and the feed again, not Y's.
    await readCounted(readerA, threadX);
    await dataOf(readerB.gql(VOTE, { c: threadX, v: 1 }));
    expect((await readCounted(readerA, threadX)).data.thread!.score).toBe(2);
    expect((await readCounted(readerA, threadY)).hit).toBe(true);
    // A write that declares nothing it touches (an edit) drops every kept page.
    await dataOf(
      author.gql(
        'mutation ($id: ID!) { editThread(id: $id, title: "thread x, edited") { thread { id } } }',
        {
          id: threadX,
        },
      ),
    );
    const edited = await readCounted(readerB, threadX);
    expect(edited.hit).toBe(false);
    expect(edited.data.thread!.title).toBe('thread x, edited');
    expect((await readCounted(readerB, threadY)).hit).toBe(false);
  });

  it("keeps a feed's page through writes that change neither its threads nor its order", async () => {
    // The newest thread alone, and the best scored (X): thread Y is neither.
    await createThread(author, 'the newest');
    const feedOf = (order: 'NEW' | 'TOP') =>
      `{ board(slug: "general") { threads(first: 1, order: ${order}) { edges { node { id title score commentCount } } } } }`;
    const hits = async (client: SignedInClient, order: 'NEW' | 'TOP') => {
      const before = await counters();
      await dataOf(client.gql(feedOf(order)));
      return (await counters()).hits === before.hits + 1;
    };
    for (const order of ['NEW', 'TOP'] as const) await hits(readerA, order);
    // A comment on an older thread: no order counts comments, and the pages do not show it.
    await comment(readerA, threadY, 'further down');
    expect(await hits(readerB, 'NEW')).toBe(true);
    expect(await hits(readerB, 'TOP')).toBe(true);
    // A vote on an older thread: newest first is the same, by score perhaps not.
    await dataOf(voter.gql(VOTE, { c: threadY, v: 1 }));
    expect(await hits(readerB, 'NEW')).toBe(true);
    expect(await hits(readerB, 'TOP')).toBe(false);
    // A new thread: every order.
    await hits(readerA, 'TOP');
    const newest = await createThread(author, 'newer still');
    expect(await hits(readerB, 'NEW')).toBe(false);
    expect(await hits(readerB, 'TOP')).toBe(false);
    type Feed = { board: { threads: { edges: Array<{ node: { id: string } }> } } };
    const shown = await dataOf(readerB.gql<Feed>(feedOf('NEW')));
    expect(shown.board.threads.edges.map((edge) => edge.node.id)).toEqual([newest]);
  });

  it('never shares the page of a thread with comments withheld where the reader is', async () => {
    const threadZ = await createThread(author, 'thread z');
    await comment(readerB, threadZ, 'Remembering Tiananmen');
    await comment(commenter, threadZ, 'plain words');
    const other = await readCounted(readerA, threadZ, 'CN');
    expect(other.data.thread!.comments.edges.map((edge) => edge.node.body)).toEqual([
      'plain words',
    ]);
    // The comment's author reads their own withheld comment where it is withheld, and nobody
    // else there is given their page (nor they another's).
    const own = await readCounted(readerB, threadZ, 'CN');
    expect(own.hit).toBe(false);
    expect(own.data.thread!.comments.edges.map((edge) => edge.node.body)).toEqual([
      'Remembering Tiananmen',
      'plain words',
    ]);
    const third = await readCounted(commenter, threadZ, 'CN');
    expect(third.hit).toBe(false);
    expect(withoutCursors(third.data)).toEqual(await computedFor(commenter, threadZ, 'CN'));
    expect(third.data.thread!.comments.edges).toHaveLength(1);
    // Outside China, the page is shared as any.
    await readCounted(readerA, threadZ);
    expect((await readCounted(commenter, threadZ)).hit).toBe(true);
  });

  it('shows a thread withheld where the reader is to its author alone, whoever read it first', async () => {
    const withheld = await createThread(author, 'Remembering Tiananmen', 'history');
    for (const [first, second] of [
      [readerA, author],
      [author, readerB],
    ] as const) {
      await dataOf(author.gql(VOTE, { c: commentX, v: 1 })); // a write: nothing kept of it
      const firstView = (await readCounted(first, withheld, 'CN')).data.thread;
      const secondView = (await readCounted(second, withheld, 'CN')).data.thread;
      const [own, others] = first === author ? [firstView, secondView] : [secondView, firstView];
      expect(own?.id).toBe(withheld);
      expect(own?.author.isViewer).toBe(true);
      expect(others).toBeNull();
    }
    // Where it is not withheld, it is shared, with the author's own values filled in.
    await readCounted(readerA, withheld);
    const authors = await readCounted(author, withheld);
    expect(authors.hit).toBe(true);
    expect(authors.data.thread!.author.isViewer).toBe(true);
  });
});
