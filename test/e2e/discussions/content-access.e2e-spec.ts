import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ContentStatus } from '../../../src/posts/content-status';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  suspendMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const CREATE_THREAD =
  'mutation ($b: ID!, $t: String!, $body: String!) { createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } } }';
const CREATE_COMMENT =
  'mutation ($t: ID!, $body: String!) { createComment(input: { threadId: $t, body: $body }) { comment { id } } }';
const VOTE = 'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }';
const FEED = '{ board(slug: "general") { threads(first: 50) { edges { node { id } } } } }';

/**
 * Who may act on a post, and what they may read through it: the regressions found from
 * outside (issue 19, bugs 1–4 and 8).
 */
describe('Content access: reading through a post, voting and editing', () => {
  let env: IdentityTestApp;
  let boardId: string;
  let author: SignedInClient;
  let other: SignedInClient;
  let unverified: SignedInClient;
  let readerCN: SignedInClient;
  let counter = 0;
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  const verifiedMember = async (jurisdiction = 'US') => {
    const member = await signUpMember(env.app, env.smtp, { jurisdiction });
    const verified = await verifyEmployer(
      env.app,
      env.smtp,
      member,
      `person${++counter}.${Date.now()}@initech.example`,
    );
    expect(verified.errors).toBeUndefined();
    return member;
  };
  const thread = async (by: SignedInClient, body = 'text') =>
    (
      await dataOf(
        by.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          b: boardId,
          t: `Thread ${++counter}`,
          body,
        }),
      )
    ).createThread.thread.id;
  const comment = async (by: SignedInClient, threadId: string, body = 'a comment') =>
    (
      await dataOf(
        by.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
          t: threadId,
          body,
        }),
      )
    ).createComment.comment.id;
  const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
    res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      EMAIL_CODES_PER_IP_PER_HOUR: '500',
      AUTH_RATE_LIMIT_MAX: '1000',
      TRUSTED_JURISDICTION_HEADER: 'X-Country',
    });
    boardId = await createGeneralBoard(env.admin);
    [author, other, readerCN] = [
      await verifiedMember(),
      await verifiedMember(),
      await verifiedMember('CN'),
    ];
    unverified = await signUpMember(env.app, env.smtp);
    const [officerA, officerB] = [
      await signUpMember(env.app, env.smtp),
      await signUpMember(env.app, env.smtp),
    ];
    await grantOfficers(env.admin, [officerA, officerB]);
    const draft = await draftRuleSet(officerA, 'CN', [
      {
        name: 'Gossip',
        matcher: { kind: 'KEYWORDS', terms: ['canteen gossip'] },
        action: 'WITHHOLD',
        legalBasis: 'Example',
        explanation: 'Withheld in China.',
      },
    ]);
    await publishRuleSet(officerB, draft);
  });
  afterAll(async () => env.close());

  it('shows a thread through one of its comments only to whom the thread is visible (bug 1)', async () => {
    const threadId = await thread(author, 'A secret plan');
    const commentId = await comment(other, threadId, 'Count me in');
    await content()
      .getRepository(ThreadEntity)
      .update({ id: threadId }, { status: ContentStatus.REMOVED });
    const edited = await other.gql(
      'mutation ($id: ID!) { editComment(id: $id, body: "Changed my mind") { comment { id thread { title body status } } } }',
      { id: commentId },
    );
    expect(codeOf(edited)).toBe('NOT_FOUND');
    expect(JSON.stringify(edited)).not.toContain('A secret plan');
  });

  it('refuses a suspended member’s votes and edits, as it refuses their posts (bug 2)', async () => {
    const member = await verifiedMember();
    const threadId = await thread(author);
    const own = await comment(member, threadId);
    await suspendMember(env.app, member);
    const posting = await member.gql(CREATE_COMMENT, { t: threadId, body: 'again' });
    expect(codeOf(posting)).toBe('FORBIDDEN');
    const voted = await member.gql(VOTE, { c: threadId, v: 1 });
    expect(voted.errors?.[0]?.extensions).toEqual(posting.errors?.[0]?.extensions);
    const edited = await member.gql(
      'mutation ($id: ID!) { editComment(id: $id, body: "edited") { comment { id } } }',
      { id: own },
    );
    expect(edited.errors?.[0]?.extensions).toEqual(posting.errors?.[0]?.extensions);
  });

  it('refuses votes on a post withheld in the voter’s jurisdiction, as if it did not exist (bug 3)', async () => {
    const withheld = await thread(author, 'Some canteen gossip');
    const missing = await readerCN.gql(VOTE, { c: '00000000-0000-4000-8000-000000000000', v: 1 });
    const voted = await readerCN.gql(VOTE, { c: withheld, v: 1 });
    expect(codeOf(voted)).toBe('NOT_FOUND');
    expect(voted.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    // Elsewhere it is there to vote on.
    expect((await other.gql(VOTE, { c: withheld, v: 1 })).errors).toBeUndefined();
  });

  it('lets authors see their own withheld posts: the thread, in the feed, and their comments (bug 4)', async () => {
    const authorCN = await verifiedMember('CN');
    const own = await thread(authorCN, 'My canteen gossip');
    const host = await thread(other, 'Lunch');
    const ownComment = await comment(authorCN, host, 'more canteen gossip');
    const seen = await dataOf(
      authorCN.gql<{ thread: { id: string } | null }>(
        'query ($id: ID!) { thread(id: $id) { id } }',
        {
          id: own,
        },
      ),
    );
    expect(seen.thread?.id).toBe(own);
    const feed = await dataOf(
      authorCN.gql<{ board: { threads: { edges: Array<{ node: { id: string } }> } } }>(FEED),
    );
    expect(feed.board.threads.edges.map((e) => e.node.id)).toContain(own);
    const comments = await dataOf(
      authorCN.gql<{
        thread: { commentCount: number; comments: { edges: Array<{ node: { id: string } }> } };
      }>(
        'query ($id: ID!) { thread(id: $id) { commentCount comments(first: 50) { edges { node { id } } } } }',
        { id: host },
      ),
    );
    expect(comments.thread.comments.edges.map((e) => e.node.id)).toContain(ownComment);
    // Others in China still do not see them.
    const theirs = await dataOf(
      readerCN.gql<{ thread: { comments: { edges: Array<{ node: { id: string } }> } } }>(
        'query ($id: ID!) { thread(id: $id) { comments(first: 50) { edges { node { id } } } } }',
        { id: host },
      ),
    );
    expect(theirs.thread.comments.edges.map((e) => e.node.id)).not.toContain(ownComment);
  });

  it('shares feed pages between members of a jurisdiction, yet each sees only their own withheld threads and every write at once (issue 25)', async () => {
    type Feed = {
      board: {
        threads: {
          edges: Array<{ node: { id: string; viewerVote: number; author: { isViewer: boolean } } }>;
        };
      };
    };
    const MEMBER_FEED =
      '{ board(slug: "general") { threads(first: 50) { edges { node { id viewerVote author { isViewer } } } } } }';
    const nodes = async (who: SignedInClient) =>
      new Map(
        (await dataOf(who.gql<Feed>(MEMBER_FEED))).board.threads.edges.map((e) => [
          e.node.id,
          e.node,
        ]),
      );
    const authorCN = await verifiedMember('CN');
    const own = await thread(authorCN, 'Our canteen gossip');
    const voted = await thread(other, 'Lunch menu');
    expect((await readerCN.gql(VOTE, { c: voted, v: -1 })).errors).toBeUndefined();
    // The other reader in China asks first, so the page's rows are those read for China.
    const theirs = await nodes(readerCN);
    expect(theirs.has(own)).toBe(false);
    expect(theirs.get(voted)).toMatchObject({ viewerVote: -1, author: { isViewer: false } });
    const mine = await nodes(authorCN);
    expect(mine.get(own)).toMatchObject({ viewerVote: 0, author: { isViewer: true } });
    expect(mine.get(voted)).toMatchObject({ viewerVote: 0, author: { isViewer: false } });
    expect((await nodes(readerCN)).has(own)).toBe(false);
    expect((await nodes(other)).get(own)).toMatchObject({ author: { isViewer: false } });
    // A write shows on the next read, however recently the page was read.
    const fresh = await thread(other, 'Fresh news');
    expect((await nodes(readerCN)).has(fresh)).toBe(true);
    expect((await nodes(authorCN)).has(own)).toBe(true);
  });

  it('lets a member change jurisdiction once in 30 days, and judges them by where they read from too (bug 10)', async () => {
    const member = await verifiedMember('US');
    const SET = 'mutation ($c: String!) { setJurisdiction(code: $c) { jurisdiction } }';
    const withheld = await thread(author, 'More canteen gossip');
    const read = async (headers: Record<string, string> = {}) =>
      (
        await dataOf(
          env.app.gql<{ thread: { id: string } | null }>(
            'query ($id: ID!) { thread(id: $id) { id } }',
            { id: withheld },
            { authorization: `Bearer ${member.token}`, ...headers },
          ),
        )
      ).thread;
    expect(await read()).not.toBeNull();
    // Reading from China (the trusted proxy says so) hides it, whatever the setting says.
    expect(await read({ 'x-country': 'CN' })).toBeNull();

    expect((await dataOf(member.gql(SET, { c: 'CN' }))).setJurisdiction).toEqual({
      jurisdiction: 'CN',
    });
    expect(await read()).toBeNull();
    // Switching back at once, to read what China withholds, is refused until 30 days on.
    const back = await member.gql(SET, { c: 'US' });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TOO_SOON' });
    const retryAfter = Date.parse(String(back.errors?.[0]?.extensions?.retryAfter));
    expect(retryAfter).toBeGreaterThan(Date.now() + 28 * 86_400_000);
    expect(await read()).toBeNull();
    // Setting the jurisdiction one already has changes nothing and is not refused.
    expect((await member.gql(SET, { c: 'CN' })).errors).toBeUndefined();
  });

  it('lets only verified members vote, and not on their own posts (bug 8)', async () => {
    const threadId = await thread(author);
    const unverifiedVote = await unverified.gql(VOTE, { c: threadId, v: 1 });
    expect(codeOf(unverifiedVote)).toBe('FORBIDDEN');
    const ownVote = await author.gql(VOTE, { c: threadId, v: 1 });
    expect(codeOf(ownVote)).toBe('FORBIDDEN');
    const score = await dataOf(
      other.gql<{ thread: { score: number } }>('query ($id: ID!) { thread(id: $id) { score } }', {
        id: threadId,
      }),
    );
    expect(score.thread.score).toBe(0);
  });
});
