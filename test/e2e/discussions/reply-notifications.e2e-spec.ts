import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { postThread } from '../../utils/discussion-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const HELD_WORD = 'quarterlyleak';

interface Note {
  id: string;
  kind: string;
  message: string;
  contentId: string | null;
  read: boolean;
}

const NOTES = `query ($unread: Boolean) { notifications(unreadOnly: $unread) { id kind message contentId read }
  viewer { unreadNotifications } }`;

describe('Reply notifications (REPLY, FOLLOWED_THREAD_ACTIVITY) and unread counts', () => {
  let env: IdentityTestApp;
  let alice: SignedInClient;
  let bob: SignedInClient;
  let carol: SignedInClient;
  let dave: SignedInClient;
  let moderator: SignedInClient;
  let general: string;

  const comment = async (by: SignedInClient, threadId: string, body: string, parentId?: string) => {
    const { createComment } = await dataOf(
      by.gql<{ createComment: { comment: { id: string; status: string } } }>(
        'mutation ($i: CreateCommentInput!) { createComment(input: $i) { comment { id status } } }',
        { i: { threadId, body, parentId } },
      ),
    );
    return createComment.comment;
  };
  /** The member's notifications once every pending event was delivered. */
  const notes = async (by: SignedInClient, unread = false) => {
    await outboxDrained(env.app.app);
    const data = await dataOf(
      by.gql<{ notifications: Note[]; viewer: { unreadNotifications: number } }>(NOTES, {
        unread,
      }),
    );
    return { list: data.notifications, unread: data.viewer.unreadNotifications };
  };
  const activity = async (by: SignedInClient) =>
    (await notes(by)).list.filter(
      (n) => n.kind === 'REPLY' || n.kind === 'FOLLOWED_THREAD_ACTIVITY',
    );
  const markAllRead = async (by: SignedInClient) => {
    const { list } = await notes(by);
    await dataOf(
      by.gql('mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }', {
        ids: list.map((n) => n.id),
      }),
    );
  };
  const followThread = (by: SignedInClient, id: string, follow = true) =>
    dataOf(
      by.gql('mutation ($id: ID!, $f: Boolean) { followThread(id: $id, follow: $f) { id } }', {
        id,
        f: follow,
      }),
    );

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({ REPORT_QUEUE_THRESHOLD: '1' });
    general = await createGeneralBoard(env.admin);
    const member = async (email: string) => {
      const client = await signUpMember(env.app, env.smtp);
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    alice = await member('alice@initech.example');
    bob = await member('bob@globex.example');
    carol = await member('carol@initech.example');
    dave = await member('dave@initech.example');
    moderator = await signUpMember(env.app, env.smtp);
    await dataOf(
      env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: moderator.email,
      }),
    );
    const [officer, second] = [
      await signUpMember(env.app, env.smtp),
      await signUpMember(env.app, env.smtp),
    ];
    await grantOfficers(env.admin, [officer, second]);
    const draft = await draftRuleSet(officer, 'US', [
      {
        name: 'Earnings leaks',
        matcher: { kind: 'KEYWORDS', terms: [HELD_WORD] },
        action: 'HOLD',
        legalBasis: 'Example',
        explanation: 'Earnings leaks.',
      },
    ]);
    await publishRuleSet(second, draft);
  }, 300_000);
  afterAll(async () => env?.close());

  it('tells the thread author of a reply, and nobody of their own comment', async () => {
    const thread = await postThread(alice, general, 'Parking at the new office', 'Where?');
    const own = await comment(alice, thread, 'Answering myself first.');
    expect(await activity(alice)).toEqual([]);
    const reply = await comment(bob, thread, 'Level 2 is free.');
    const [note] = await activity(alice);
    expect(note).toMatchObject({
      kind: 'REPLY',
      contentId: reply.id,
      read: false,
      message: 'Someone replied to your thread “Parking at the new office”.',
    });
    expect(note.message).not.toMatch(/\d{2}:\d{2}/);
    expect(await activity(bob)).toEqual([]);
    // A reply to a comment goes to the comment's author, not to the thread's.
    const answer = await comment(bob, thread, 'And level 3 too.', own.id);
    expect((await activity(alice)).map((n) => n.contentId)).toEqual([answer.id, reply.id]);
    expect((await activity(alice))[0].message).toBe(
      'Someone replied to your comment in “Parking at the new office”.',
    );
    const carolsComment = await comment(carol, thread, 'Bikes go where?');
    const toCarol = await comment(bob, thread, 'In the basement.', carolsComment.id);
    expect(await activity(carol)).toEqual([
      expect.objectContaining({ kind: 'REPLY', contentId: toCarol.id }),
    ]);
    // Replying to one's own comment tells nobody.
    await comment(carol, thread, 'Thanks!', carolsComment.id);
    expect(await activity(carol)).toHaveLength(1);
  });

  it('tells followers of new comments, counted on one unread notice per thread, but never of their own', async () => {
    const thread = await postThread(alice, general, 'Canteen menu', 'Opinions?');
    await followThread(dave, thread);
    await followThread(bob, thread);
    await comment(carol, thread, 'Soup again.');
    expect(await activity(dave)).toEqual([
      expect.objectContaining({
        kind: 'FOLLOWED_THREAD_ACTIVITY',
        contentId: thread,
        message: 'A new comment in “Canteen menu”, a thread you follow.',
      }),
    ]);
    await comment(carol, thread, 'And salad.');
    await comment(dave, thread, 'I like the soup.');
    const [coalesced] = await activity(dave);
    expect(await activity(dave)).toHaveLength(1);
    expect(coalesced.message).toBe('2 new comments in “Canteen menu”, a thread you follow.');
    // Bob follows too and heard of dave's comment as well.
    expect((await activity(bob))[0].message).toBe(
      '3 new comments in “Canteen menu”, a thread you follow.',
    );
    // Once read, the next comment starts a new notice.
    await markAllRead(dave);
    expect((await notes(dave, true)).unread).toBe(0);
    await comment(carol, thread, 'Pudding on Fridays.');
    const after = await activity(dave);
    expect(after.map((n) => [n.read, n.message])).toEqual([
      [false, 'A new comment in “Canteen menu”, a thread you follow.'],
      [true, '2 new comments in “Canteen menu”, a thread you follow.'],
    ]);
    // Unfollowed: nothing more.
    await followThread(dave, thread, false);
    await comment(carol, thread, 'Coffee is free.');
    expect(await activity(dave)).toHaveLength(2);
  });

  it('sends a follower who is also the one replied to only the REPLY', async () => {
    const thread = await postThread(alice, general, 'Desk booking', 'How?');
    await followThread(alice, thread);
    const reply = await comment(bob, thread, 'Use the app.');
    const about = (await activity(alice)).filter(
      (n) => n.contentId === reply.id || n.contentId === thread,
    );
    expect(about).toEqual([expect.objectContaining({ kind: 'REPLY', contentId: reply.id })]);
  });

  it('counts unread notifications and marks them read', async () => {
    const before = await notes(alice, true);
    expect(before.unread).toBe(before.list.length);
    expect(before.unread).toBeGreaterThan(0);
    const [first] = before.list;
    await dataOf(
      alice.gql('mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }', {
        ids: [first.id],
      }),
    );
    expect((await notes(alice, true)).unread).toBe(before.unread - 1);
    const visitor = await env.app.gql('{ viewer { unreadNotifications } }');
    expect(visitor.data?.viewer ?? null).toBeNull();
  });

  it('tells nobody who can no longer read the thread: a member who left the company', async () => {
    const { boards } = await dataOf(
      alice.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
    );
    const initechBoard = boards.find((b) => b.kind === 'COMPANY')!.id;
    const thread = await postThread(alice, initechBoard, 'Reorg rumours', 'Heard anything?');
    await followThread(carol, thread);
    const dropped = await comment(alice, thread, 'First word.');
    expect((await activity(carol)).map((n) => n.contentId)).toContain(thread);
    await markAllRead(carol);
    const { viewer } = await dataOf(
      carol.gql<{ viewer: { memberships: Array<{ company: { id: string } }> } }>(
        '{ viewer { memberships { company { id } } } }',
      ),
    );
    await dataOf(
      carol.gql('mutation ($c: ID!) { leaveCompany(companyId: $c) { roles } }', {
        c: viewer.memberships[0].company.id,
      }),
    );
    // A comment after carol left: the company board is closed to her, so she hears nothing.
    await comment(dave, thread, 'Second word.');
    const unread = (await notes(carol, true)).list;
    expect(unread.filter((n) => n.contentId === thread || n.contentId === dropped.id)).toEqual([]);
    expect(JSON.stringify(unread)).not.toContain('Reorg');
  });

  it('tells of a held comment once a moderator approves it, not before', async () => {
    const thread = await postThread(alice, general, 'Numbers', 'Any news?');
    await markAllRead(alice);
    const held = await comment(bob, thread, `The ${HELD_WORD} is out.`);
    expect(held.status).toBe('HELD');
    expect((await notes(alice, true)).list).toEqual([]);
    const { reviewQueue } = await dataOf(
      moderator.gql<{
        reviewQueue: {
          edges: Array<{ node: { id: string; version: number; content: { id?: string } } }>;
        };
      }>(
        '{ reviewQueue(first: 100) { edges { node { id version content { ... on Comment { id } } } } } }',
      ),
    );
    const item = reviewQueue.edges.map((e) => e.node).find((n) => n.content.id === held.id)!;
    const { claimReviewItem } = await dataOf(
      moderator.gql<{ claimReviewItem: { version: number } }>(
        'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { version } }',
        { id: item.id, v: item.version },
      ),
    );
    await dataOf(
      moderator.gql(
        'mutation ($i: DecideReviewItemInput!) { decideReviewItem(input: $i) { id } }',
        {
          i: { id: item.id, version: claimReviewItem.version, decision: 'APPROVE' },
        },
      ),
    );
    const unread = (await notes(alice, true)).list;
    expect(unread).toEqual([expect.objectContaining({ kind: 'REPLY', contentId: held.id })]);
  });
});
