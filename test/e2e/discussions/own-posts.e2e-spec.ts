import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ContentStatus } from '../../../src/posts/content-status';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { NO_RATE_LIMITS } from '../../../src/infrastructure/rate-limit/no-rate-limits';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { countStatements } from '../../utils/sql-statements';
import type { GraphqlResponse } from '../../utils/test-app';

const HELD_WORD = 'quarterlyleak';
const WITHHELD_WORD = 'boardgossip';

interface Notice {
  ruleName: string;
  action: string;
}
interface OwnThread {
  id: string;
  title: string;
  status: string;
  author: { isViewer: boolean; isOriginalPoster: boolean };
  notices: Notice[];
  board: { slug: string };
}
interface OwnComment {
  id: string;
  body: string;
  status: string;
  author: { isViewer: boolean; isOriginalPoster: boolean };
  notices: Notice[];
}
interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const NOTICES = 'notices { ruleName action }';
const AUTHOR = 'author { isViewer isOriginalPoster }';
const MY_THREADS = `query ($first: Int!, $after: String) { viewer { threads(first: $first, after: $after) {
  edges { cursor node { id title status ${AUTHOR} ${NOTICES} board { slug } } }
  pageInfo { hasNextPage endCursor } } } }`;
const MY_COMMENTS = `query ($first: Int!, $after: String) { viewer { comments(first: $first, after: $after) {
  edges { cursor node { id body status ${AUTHOR} ${NOTICES} } }
  pageInfo { hasNextPage endCursor } } } }`;
const SET_VOTE = `mutation ($c: ID!, $v: Int!) { setVote(contentId: $c, value: $v) {
  score viewerVote
  content { __typename ... on Thread { id score viewerVote } ... on Comment { id score viewerVote } } } }`;

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;

describe("setVote, and a member's own threads and comments (Viewer.threads, Viewer.comments)", () => {
  let env: IdentityTestApp;
  let alice: SignedInClient;
  let bob: SignedInClient;
  let boardId: string;
  /** Alice's threads, oldest first, and her comments, oldest first. */
  const aliceThreads: Array<{ id: string; state: string }> = [];
  const aliceComments: Array<{ id: string; state: string }> = [];
  let bobThread: string;
  let bobComment: string;

  const createThread = (by: SignedInClient, title: string, body = 'Plain words') =>
    postThread(by, boardId, title, body);
  const createComment = postComment;
  const myThreads = (client: SignedInClient, first: number, after?: string | null) =>
    client.gql<{ viewer: { threads: Page<OwnThread> } | null }>(MY_THREADS, { first, after });
  const myComments = (client: SignedInClient, first: number, after?: string | null) =>
    client.gql<{ viewer: { comments: Page<OwnComment> } | null }>(MY_COMMENTS, { first, after });
  /** Every page of `list`, `first` at a time, following endCursor. */
  const allPages = async <T>(
    list: (after: string | null) => Promise<Page<T>>,
  ): Promise<{ nodes: T[]; pages: number }> => {
    const nodes: T[] = [];
    let after: string | null = null;
    for (let pages = 1; pages < 50; pages++) {
      const page: Page<T> = await list(after);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return { nodes, pages };
      after = page.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  };
  const setVote = (client: SignedInClient, contentId: string, value: number) =>
    client.gql<{
      setVote: {
        score: number;
        viewerVote: number;
        content: { __typename: string; id: string; score: number; viewerVote: number };
      };
    }>(SET_VOTE, { c: contentId, v: value });
  /** What setVote answers when the voter's vote is the only one on the post. */
  const castOn = (type: 'Thread' | 'Comment', id: string, value: number) => ({
    score: value,
    viewerVote: value,
    content: { __typename: type, id, score: value, viewerVote: value },
  });
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      ...NO_RATE_LIMITS,
    });
    boardId = await createGeneralBoard(env.admin);
    alice = await signUpMember(env.app, env.smtp);
    bob = await signUpMember(env.app, env.smtp);
    await dataOf(verifyEmployer(env.app, env.smtp, alice, 'alice@initech.example'));
    await dataOf(verifyEmployer(env.app, env.smtp, bob, 'bob@initech.example'));
    const [officer, second] = [
      await signUpMember(env.app, env.smtp),
      await signUpMember(env.app, env.smtp),
    ];
    await grantOfficers(env.admin, [officer, second]);
    // A US rule holds, a German one withholds (four eyes: each published by the other officer).
    for (const [editor, publisher, jurisdiction, rule] of [
      [officer, second, 'US', { name: 'Earnings leaks', term: HELD_WORD, action: 'HOLD' }],
      [second, officer, 'DE', { name: 'Gossip', term: WITHHELD_WORD, action: 'WITHHOLD' }],
    ] as const) {
      const draft = await draftRuleSet(editor, jurisdiction, [
        {
          name: rule.name,
          matcher: { kind: 'KEYWORDS', terms: [rule.term] },
          action: rule.action,
          legalBasis: 'Example',
          explanation: `${rule.name}.`,
        },
      ]);
      await publishRuleSet(publisher, draft);
    }

    bobThread = await createThread(bob, 'Bob asks');
    bobComment = await createComment(bob, bobThread, 'Bob answers himself');
    for (const state of ['published', 'held', 'removed', 'withheld', 'deleted', 'latest']) {
      const body =
        state === 'held'
          ? `About the ${HELD_WORD}`
          : state === 'withheld'
            ? `Some ${WITHHELD_WORD}`
            : 'Plain words';
      aliceThreads.push({ id: await createThread(alice, `Alice ${state}`, body), state });
      aliceComments.push({ id: await createComment(alice, bobThread, body), state });
    }
    const removed = (list: typeof aliceThreads) => list.find((p) => p.state === 'removed')!.id;
    await content()
      .getRepository(ThreadEntity)
      .update({ id: removed(aliceThreads) }, { status: ContentStatus.REMOVED });
    await content()
      .getRepository(CommentEntity)
      .update({ id: removed(aliceComments) }, { status: ContentStatus.REMOVED });
    const deleted = (list: typeof aliceThreads) => list.find((p) => p.state === 'deleted')!.id;
    await dataOf(
      alice.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: deleted(aliceThreads) }),
    );
    await dataOf(
      alice.gql('mutation ($id: ID!) { deleteComment(id: $id) }', { id: deleted(aliceComments) }),
    );
    // Notifications of the comments settle before any statements are counted.
    await outboxDrained(env.app.app);
  }, 300_000);
  afterAll(async () => env?.close());

  describe('setVote', () => {
    it('sets, changes and withdraws a vote, returning the content with its new score and the vote', async () => {
      const threadId = aliceThreads[0].id;
      for (const value of [1, -1, 0]) {
        const { setVote: answer } = await dataOf(setVote(bob, threadId, value));
        expect(answer).toEqual(castOn('Thread', threadId, value));
      }
      // The same vote as `vote` casts: one per person, whichever mutation cast it.
      const viaVote = await dataOf(
        bob.gql<{ vote: number }>('mutation ($c: ID!) { vote(contentId: $c, value: 1) }', {
          c: threadId,
        }),
      );
      expect(viaVote.vote).toBe(1);
      expect((await dataOf(setVote(bob, threadId, 1))).setVote.score).toBe(1);
      expect((await dataOf(setVote(bob, threadId, 0))).setVote.score).toBe(0);
    });

    it('votes on comments too', async () => {
      const commentId = aliceComments[0].id;
      const { setVote: answer } = await dataOf(setVote(bob, commentId, 1));
      expect(answer).toEqual(castOn('Comment', commentId, 1));
      expect((await dataOf(setVote(bob, commentId, 0))).setVote.score).toBe(0);
    });

    it('refuses what vote refuses, with the same codes', async () => {
      const threadId = aliceThreads[0].id;
      const bad = await setVote(bob, threadId, 2);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.extensions?.fields).toEqual(['value']);
      expect(codeOf(await setVote(bob, '00000000-0000-4000-8000-000000000000', 1))).toBe(
        'NOT_FOUND',
      );
      const held = aliceThreads.find((p) => p.state === 'held')!.id;
      expect(codeOf(await setVote(bob, held, 1))).toBe('NOT_FOUND');
      const own = await setVote(alice, threadId, 1);
      expect(codeOf(own)).toBe('FORBIDDEN');
      expect(own.errors?.[0]?.extensions?.reason).toBe('OWN_POST');
      expect(codeOf(await env.app.gql(SET_VOTE, { c: threadId, v: 1 }))).toBe('UNAUTHENTICATED');
      // Nothing of the refused votes was counted.
      expect((await dataOf(setVote(bob, threadId, 0))).setVote.score).toBe(0);
    });
  });

  describe('Viewer.threads and Viewer.comments', () => {
    it('lists all of your own threads, newest first, whatever their status, with their notices', async () => {
      const page = (await dataOf(myThreads(alice, 100))).viewer!.threads;
      expect(page.pageInfo.hasNextPage).toBe(false);
      expect(page.edges.map((e) => e.node.id)).toEqual(
        [...aliceThreads].reverse().map((p) => p.id),
      );
      const byState = (state: string) =>
        page.edges.find((e) => e.node.id === aliceThreads.find((p) => p.state === state)!.id)!.node;
      expect(byState('held')).toMatchObject({
        status: 'HELD',
        title: 'Alice held',
        notices: [{ ruleName: 'Earnings leaks', action: 'HOLD' }],
        author: { isViewer: true, isOriginalPoster: true },
        board: { slug: 'general' },
      });
      expect(byState('removed')).toMatchObject({ status: 'REMOVED', notices: [] });
      expect(byState('withheld')).toMatchObject({
        status: 'PUBLISHED',
        notices: [{ ruleName: 'Gossip', action: 'WITHHOLD' }],
      });
      expect(byState('deleted')).toMatchObject({ status: 'DELETED', title: '' });
      expect(page.edges.map((e) => e.node.id)).not.toContain(bobThread);
    });

    it('answers in the Session a sign-in returns, for the session it opens', async () => {
      const signedIn = await dataOf(
        env.app.gql<{
          signIn: { viewer: { threads: Page<OwnThread>; comments: Page<OwnComment> } };
        }>(
          `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { viewer {
            threads(first: 100) { edges { node { id } } }
            comments(first: 100) { edges { node { id } } } } } }`,
          { e: alice.email, p: alice.password },
        ),
      );
      expect(signedIn.signIn.viewer.threads.edges.map((e) => e.node.id)).toEqual(
        [...aliceThreads].reverse().map((p) => p.id),
      );
      expect(signedIn.signIn.viewer.comments.edges).toHaveLength(aliceComments.length);
    });

    it('lists all of your own comments, newest first, whatever their status, with their notices', async () => {
      const page = (await dataOf(myComments(alice, 100))).viewer!.comments;
      expect(page.edges.map((e) => e.node.id)).toEqual(
        [...aliceComments].reverse().map((p) => p.id),
      );
      const byState = (state: string) =>
        page.edges.find((e) => e.node.id === aliceComments.find((p) => p.state === state)!.id)!
          .node;
      expect(byState('held')).toMatchObject({
        status: 'HELD',
        notices: [{ ruleName: 'Earnings leaks', action: 'HOLD' }],
        author: { isViewer: true, isOriginalPoster: false },
      });
      expect(byState('removed').status).toBe('REMOVED');
      expect(byState('deleted')).toMatchObject({ status: 'DELETED', body: '' });
      expect(page.edges.map((e) => e.node.id)).not.toContain(bobComment);
    });

    it("never lists another member's posts", async () => {
      const threads = (await dataOf(myThreads(bob, 100))).viewer!.threads;
      expect(threads.edges.map((e) => e.node.id)).toEqual([bobThread]);
      const comments = (await dataOf(myComments(bob, 100))).viewer!.comments;
      expect(comments.edges.map((e) => e.node.id)).toEqual([bobComment]);
      // A member who never posted has empty lists.
      const newcomer = await signUpMember(env.app, env.smtp);
      expect((await dataOf(myThreads(newcomer, 5))).viewer!.threads).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
      expect((await dataOf(myComments(newcomer, 5))).viewer!.comments.edges).toEqual([]);
    });

    it('pages with opaque cursors, each post once', async () => {
      const threads = await allPages(
        async (after) => (await dataOf(myThreads(alice, 2, after))).viewer!.threads,
      );
      expect(threads.pages).toBe(3);
      expect(threads.nodes.map((n) => n.id)).toEqual([...aliceThreads].reverse().map((p) => p.id));
      const comments = await allPages(
        async (after) => (await dataOf(myComments(alice, 4, after))).viewer!.comments,
      );
      expect(comments.pages).toBe(2);
      expect(comments.nodes.map((n) => n.id)).toEqual(
        [...aliceComments].reverse().map((p) => p.id),
      );
      // An edge's cursor continues after that edge.
      const first = (await dataOf(myThreads(alice, 3))).viewer!.threads;
      const fromSecond = (await dataOf(myThreads(alice, 1, first.edges[1].cursor))).viewer!.threads;
      expect(fromSecond.edges[0].node.id).toBe(first.edges[2].node.id);
      // Cursors tell nothing: the same page sealed twice reads differently.
      const again = (await dataOf(myThreads(alice, 3))).viewer!.threads;
      expect(again.pageInfo.endCursor).not.toBe(first.pageInfo.endCursor);
    });

    it('costs the same SQL statements at any depth', async () => {
      const page1 = (await dataOf(myThreads(alice, 2))).viewer!.threads;
      const page2 = (await dataOf(myThreads(alice, 2, page1.pageInfo.endCursor))).viewer!.threads;
      const second = await countStatements(env.app, () =>
        myThreads(alice, 2, page1.pageInfo.endCursor),
      );
      const third = await countStatements(env.app, () =>
        myThreads(alice, 2, page2.pageInfo.endCursor),
      );
      expect(third).toBe(second);
      expect(second).toBeGreaterThan(0);
      // The first page also finds how many threads there are: a few probes, not a scan.
      const firstPage = await countStatements(env.app, () => myThreads(alice, 2));
      expect(firstPage - second).toBeLessThanOrEqual(3);
    });

    it('refuses bad input with BAD_USER_INPUT', async () => {
      for (const first of [0, -1, 101]) {
        const res = await myThreads(alice, first);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions?.fields).toEqual(['first']);
        expect(codeOf(await myComments(alice, first))).toBe('BAD_USER_INPUT');
      }
      const threads = (await dataOf(myThreads(alice, 2))).viewer!.threads;
      const comments = (await dataOf(myComments(alice, 2))).viewer!.comments;
      const bobs = (await dataOf(myThreads(bob, 1))).viewer!.threads;
      for (const res of [
        await myThreads(alice, 2, 'not a cursor'),
        // Another list's cursor, another member's, a board feed's.
        await myThreads(alice, 2, comments.pageInfo.endCursor),
        await myComments(alice, 2, threads.pageInfo.endCursor),
        await myThreads(alice, 2, bobs.pageInfo.endCursor),
      ]) {
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.message).toBe('after is not a cursor of this list.');
      }
    });

    it("leaves out what the author may no longer reach: comments on someone else's thread that was removed", async () => {
      const other = await createThread(bob, 'Bob again');
      const gone = [
        await createComment(alice, other, 'First on a thread to be removed'),
        await createComment(alice, other, 'Second on it'),
      ];
      await content()
        .getRepository(ThreadEntity)
        .update({ id: other }, { status: ContentStatus.REMOVED });
      // The newest slot's comment is left out: the page is empty but the list goes on.
      const newest = (await dataOf(myComments(alice, 1))).viewer!.comments;
      expect(newest.edges).toEqual([]);
      expect(newest.pageInfo.hasNextPage).toBe(true);
      expect(newest.pageInfo.endCursor).not.toBeNull();
      const { nodes } = await allPages(
        async (after) => (await dataOf(myComments(alice, 1, after))).viewer!.comments,
      );
      expect(nodes.map((n) => n.id)).toEqual([...aliceComments].reverse().map((p) => p.id));
      expect(nodes.map((n) => n.id)).not.toContain(gone[0]);
    });

    it('gives visitors no viewer, so nothing to list', async () => {
      const res = await env.app.gql<{ viewer: null }>(MY_THREADS, { first: 5 });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ viewer: null });
      const comments = await env.app.gql<{ viewer: null }>(MY_COMMENTS, { first: 5 });
      expect(comments.data).toEqual({ viewer: null });
    });
  });
});
