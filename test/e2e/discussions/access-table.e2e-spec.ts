import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type AccessFacts,
  ContentAccessPolicy,
  ContentAction,
} from '../../../src/discussions/access/content-access.policy';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ContentStatus } from '../../../src/posts/content-status';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  suspendMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

/** Every viewer reads from China, where the rule below withholds posts saying WITHHELD_WORD. */
const WHERE = { 'X-Country': 'CN' };
const WITHHELD_WORD = 'canteen gossip';

type State = 'published' | 'held' | 'rejected' | 'removed' | 'deleted' | 'withheld';
const STATES: readonly State[] = [
  'published',
  'held',
  'rejected',
  'removed',
  'deleted',
  'withheld',
];
const SET_IN_STORE: Partial<Record<State, ContentStatus>> = {
  held: ContentStatus.HELD,
  rejected: ContentStatus.REJECTED,
  removed: ContentStatus.REMOVED,
};

type ViewerName =
  | 'visitor'
  | 'member of the company'
  | 'member elsewhere'
  | 'author'
  | 'suspended author'
  | 'moderator'
  | 'scoped moderator'
  | 'officer';

interface Viewer {
  readonly name: ViewerName;
  readonly token: string | null;
  /** Reads the company board. */
  readonly inCompany: boolean;
  readonly staff: boolean;
}

interface Item {
  readonly kind: 'THREAD' | 'COMMENT';
  readonly id: string;
  /** The thread it is (a thread) or sits on (a comment). */
  readonly threadId: string;
  readonly board: 'public' | 'company';
  readonly state: State;
  readonly writer: 'author' | 'suspended author';
}

const THREAD = `query ($id: ID!) { thread(id: $id) { id
  comments(first: 100) { edges { node { id thread { id } } } } } }`;
const OWN_POSTS = `{ viewer {
  threads(first: 100) { edges { node { id } } }
  comments(first: 100) { edges { node { id } } } } }`;
const FEED = `query ($slug: String!, $order: ThreadOrder!) { board(slug: $slug) {
  threads(first: 100, order: $order) { edges { node { id } } } } }`;

/**
 * The content access policy, held to every read path (issue 19): each viewer reads each post
 * in each state through `thread(id)`, the board's feeds (NEW, HOT and TOP), a thread's comments and
 * `Comment.thread`, and every path must show exactly what ContentAccessPolicy decides for the
 * facts this test knows (board access, authorship, staff role, withholding, status).
 */
describe('Content access table: every viewer × every state × every read path agrees with the policy', () => {
  let env: IdentityTestApp;
  let companySlug: string;
  const viewers: Viewer[] = [];
  const items: Item[] = [];
  /** Per board, the published thread the comment items sit on (written by someone else). */
  const hosts = new Map<'public' | 'company', string>();
  /** Per thread item, the published comment on it by someone else. */
  const bystanderComment = new Map<string, string>();
  let counter = 0;

  const gql = <T>(viewer: Viewer, query: string, variables: Record<string, unknown>) =>
    env.app.gql<T>(query, variables, {
      ...WHERE,
      ...(viewer.token === null ? {} : { authorization: `Bearer ${viewer.token}` }),
    });

  beforeAll(async () => {
    env = await createTwoCompanyTestApp();
    const publicBoardId = await createGeneralBoard(env.admin);
    const member = async (domain: string | null, jurisdiction = 'CN') => {
      const client = await signUpMember(env.app, env.smtp, { jurisdiction });
      if (domain !== null)
        await dataOf(
          verifyEmployer(env.app, env.smtp, client, `p${++counter}.${Date.now()}@${domain}`),
        );
      return client;
    };
    const [colleague, elsewhere, author, suspended, writer] = [
      await member('initech.example'),
      await member('globex.example'),
      await member('initech.example'),
      await member('initech.example'),
      // Comments on every thread, withheld ones too: not from China.
      await member('initech.example', 'US'),
    ];
    const [moderator, scoped, officer, secondOfficer] = [
      await member(null),
      await member(null),
      await member(null),
      await member(null),
    ];
    for (const mod of [moderator, scoped])
      await dataOf(
        env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
          e: mod.email,
        }),
      );
    const initech = await dataOf(
      env.admin.gql<{ companies: Array<{ id: string }> }>(
        '{ companies(search: "initech") { id } }',
      ),
    );
    await dataOf(
      env.admin.gql('mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }', {
        e: scoped.email,
        c: initech.companies[0].id,
      }),
    );
    await grantOfficers(env.admin, [officer, secondOfficer]);
    const draft = await draftRuleSet(officer, 'CN', [
      {
        name: 'Gossip',
        matcher: { kind: 'KEYWORDS', terms: [WITHHELD_WORD] },
        action: 'WITHHOLD',
        legalBasis: 'Example',
        explanation: 'Withheld in China.',
      },
    ]);
    await publishRuleSet(secondOfficer, draft);

    const boards = await dataOf(
      colleague.gql<{ boards: Array<{ id: string; slug: string; kind: string }> }>(
        '{ boards { id slug kind } }',
      ),
    );
    const companyBoard = boards.boards.find((b) => b.kind === 'COMPANY');
    if (companyBoard === undefined) throw new Error('the company board did not open');
    companySlug = companyBoard.slug;
    const boardIds = { public: publicBoardId, company: companyBoard.id };

    const createThread = (by: SignedInClient, board: 'public' | 'company', body: string) =>
      postThread(by, boardIds[board], `Thread ${++counter}`, body);
    const createComment = postComment;

    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    const writers = { author, 'suspended author': suspended } as const;
    for (const board of ['public', 'company'] as const) {
      hosts.set(board, await createThread(writer, board, 'Somewhere to comment'));
      for (const writerName of ['author', 'suspended author'] as const) {
        const by = writers[writerName];
        for (const state of STATES) {
          const body = state === 'withheld' ? `Heard some ${WITHHELD_WORD}` : 'Plain words';
          const threadId = await createThread(by, board, body);
          bystanderComment.set(threadId, await createComment(writer, threadId, 'A reply'));
          const commentId = await createComment(by, hosts.get(board)!, body);
          items.push({ kind: 'THREAD', id: threadId, threadId, board, state, writer: writerName });
          items.push({
            kind: 'COMMENT',
            id: commentId,
            threadId: hosts.get(board)!,
            board,
            state,
            writer: writerName,
          });
          if (state === 'deleted') {
            await dataOf(by.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: threadId }));
            await dataOf(
              by.gql('mutation ($id: ID!) { deleteComment(id: $id) }', { id: commentId }),
            );
          }
          const status = SET_IN_STORE[state];
          if (status !== undefined) {
            await content.getRepository(ThreadEntity).update({ id: threadId }, { status });
            await content.getRepository(CommentEntity).update({ id: commentId }, { status });
          }
        }
      }
    }
    // Suspended after writing.
    await suspendMember(env.app, suspended);

    viewers.push(
      { name: 'visitor', token: null, inCompany: false, staff: false },
      { name: 'member of the company', token: colleague.token, inCompany: true, staff: false },
      { name: 'member elsewhere', token: elsewhere.token, inCompany: false, staff: false },
      { name: 'author', token: author.token, inCompany: true, staff: false },
      { name: 'suspended author', token: suspended.token, inCompany: true, staff: false },
      { name: 'moderator', token: moderator.token, inCompany: false, staff: true },
      { name: 'scoped moderator', token: scoped.token, inCompany: false, staff: true },
      { name: 'officer', token: officer.token, inCompany: false, staff: true },
    );
  }, 600_000);
  afterAll(async () => env?.close());

  /** What this test knows about the viewer and the post, as the policy takes it. */
  const factsOf = (viewer: Viewer, item: Item): AccessFacts => {
    const status =
      item.state === 'deleted'
        ? ContentStatus.DELETED
        : (SET_IN_STORE[item.state] ?? ContentStatus.PUBLISHED);
    const author = viewer.name === item.writer;
    const readable = item.board === 'public' || viewer.inCompany;
    return {
      kind: item.kind,
      status,
      threadStatus: item.kind === 'THREAD' ? status : ContentStatus.PUBLISHED,
      boardReadable: readable,
      boardPostable: readable && viewer.token !== null,
      author,
      threadAuthor: item.kind === 'THREAD' && author,
      staff: viewer.staff,
      withheld: item.state === 'withheld',
      threadWithheld: item.kind === 'THREAD' && item.state === 'withheld',
      restricted: viewer.name === 'suspended author',
    };
  };
  const allowed = (action: ContentAction, viewer: Viewer, item: Item) =>
    ContentAccessPolicy.decide(action, factsOf(viewer, item)) === null;

  const VIEWERS: readonly ViewerName[] = [
    'visitor',
    'member of the company',
    'member elsewhere',
    'author',
    'suspended author',
    'moderator',
    'scoped moderator',
    'officer',
  ];

  it.each(VIEWERS)(
    '%s: thread(id), feeds, comments, Comment.thread and own-post lists agree',
    async (name) => {
      const viewer = viewers.find((v) => v.name === name)!;
      const seen: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      const key = (path: string, item: Item) =>
        `${path} ${item.board} ${item.kind.toLowerCase()} ${item.state} by ${item.writer}`;

      // thread(id): READ of each thread; its comments list the bystander's comment, whose
      // `thread` is the thread again.
      for (const item of items.filter((i) => i.kind === 'THREAD')) {
        const res = await gql<{
          thread: {
            id: string;
            comments: { edges: Array<{ node: { id: string; thread: { id: string } } }> };
          } | null;
        }>(viewer, THREAD, { id: item.id });
        expect(res.errors).toBeUndefined();
        const read = allowed(ContentAction.READ, viewer, item);
        seen[key('thread(id)', item)] = res.data?.thread?.id === item.id;
        expected[key('thread(id)', item)] = read;
        const edges = res.data?.thread?.comments.edges ?? [];
        const bystander = edges.find((e) => e.node.id === bystanderComment.get(item.id));
        seen[key('Thread.comments → Comment.thread', item)] = bystander?.node.thread.id === item.id;
        expected[key('Thread.comments → Comment.thread', item)] = read;
      }

      // Feeds: LIST of each thread, in NEW and HOT order.
      for (const board of ['public', 'company'] as const) {
        for (const order of ['NEW', 'HOT', 'TOP']) {
          const res = await gql<{
            board: { threads: { edges: Array<{ node: { id: string } }> } } | null;
          }>(viewer, FEED, { slug: board === 'public' ? 'general' : companySlug, order });
          expect(res.errors).toBeUndefined();
          const listed = new Set(res.data?.board?.threads.edges.map((e) => e.node.id) ?? []);
          for (const item of items.filter((i) => i.kind === 'THREAD' && i.board === board)) {
            seen[key(`feed ${order}`, item)] = listed.has(item.id);
            expected[key(`feed ${order}`, item)] = allowed(ContentAction.LIST, viewer, item);
          }
        }
      }

      // A thread's comments: LIST of each comment, and Comment.thread of the ones listed.
      for (const board of ['public', 'company'] as const) {
        const hostId = hosts.get(board)!;
        const res = await gql<{
          thread: {
            comments: { edges: Array<{ node: { id: string; thread: { id: string } } }> };
          } | null;
        }>(viewer, THREAD, { id: hostId });
        expect(res.errors).toBeUndefined();
        const listed = new Map(
          (res.data?.thread?.comments.edges ?? []).map((e) => [e.node.id, e.node.thread.id]),
        );
        for (const item of items.filter((i) => i.kind === 'COMMENT' && i.board === board)) {
          seen[key('Thread.comments', item)] = listed.get(item.id) === hostId;
          expected[key('Thread.comments', item)] = allowed(ContentAction.LIST, viewer, item);
        }
      }

      // The viewer's own posts: each item they wrote and may READ, and nothing else.
      const own = await gql<{
        viewer: Record<'threads' | 'comments', { edges: Array<{ node: { id: string } }> }> | null;
      }>(viewer, OWN_POSTS, {});
      expect(own.errors).toBeUndefined();
      const mine = new Set(
        [
          ...(own.data?.viewer?.threads.edges ?? []),
          ...(own.data?.viewer?.comments.edges ?? []),
        ].map((e) => e.node.id),
      );
      for (const item of items) {
        seen[key('Viewer.threads, Viewer.comments', item)] = mine.has(item.id);
        expected[key('Viewer.threads, Viewer.comments', item)] =
          factsOf(viewer, item).author && allowed(ContentAction.READ, viewer, item);
      }

      expect(seen).toEqual(expected);
    },
  );

  it('is not a table of one answer: each path shows some posts and hides others', () => {
    const answers = (action: ContentAction) =>
      new Set(viewers.flatMap((v) => items.map((i) => allowed(action, v, i))));
    expect(answers(ContentAction.READ)).toEqual(new Set([true, false]));
    expect(answers(ContentAction.LIST)).toEqual(new Set([true, false]));
    // Spot checks against the rules as written (the unit test has the full table).
    const by = (name: ViewerName) => viewers.find((v) => v.name === name)!;
    const find = (state: State, board: 'public' | 'company', kind: Item['kind'] = 'THREAD') =>
      items.find(
        (i) => i.state === state && i.board === board && i.kind === kind && i.writer === 'author',
      )!;
    expect(allowed(ContentAction.READ, by('author'), find('held', 'public'))).toBe(true);
    expect(allowed(ContentAction.READ, by('member of the company'), find('held', 'public'))).toBe(
      false,
    );
    expect(allowed(ContentAction.READ, by('moderator'), find('removed', 'public'))).toBe(true);
    expect(allowed(ContentAction.READ, by('moderator'), find('published', 'company'))).toBe(false);
    expect(allowed(ContentAction.LIST, by('author'), find('withheld', 'company'))).toBe(true);
    expect(allowed(ContentAction.LIST, by('visitor'), find('withheld', 'public'))).toBe(false);
    expect(allowed(ContentAction.LIST, by('visitor'), find('published', 'public'))).toBe(true);
  });
});
