import { dataOf, draftRuleSet, grantOfficers } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  type IdentityTestApp,
  signUpMember,
  type SignedInClient,
  verifyEmployer,
} from '../../utils/identity-client';

const NODE = `query ($id: ID!) { node(id: $id) { __typename id
  ... on Thread { title }
  ... on Comment { body }
  ... on Board { slug }
  ... on Company { name }
  ... on ReviewItem { kind }
  ... on RuleSetVersion { jurisdiction }
  ... on Poll { question }
} }`;
const HOME = `query ($after: String) { home(first: 2, after: $after) {
  edges { cursor node { id } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

interface NodeAnswer {
  node: ({ __typename: string; id: string } & Record<string, unknown>) | null;
}

describe('node(id:) and PageInfo (Relay conventions)', () => {
  let env: IdentityTestApp;
  let initech: SignedInClient;
  let globex: SignedInClient;
  let moderator: SignedInClient;
  let officer: SignedInClient;
  let generalId: string;
  let publicThread: string;
  let publicComment: string;
  let companyBoardId: string;
  let companyThread: string;
  let companyId: string;
  let reviewItemId: string;
  let ruleSetId: string;
  let pollId: string;

  const nodeOf = async (client: SignedInClient | null, id: string) =>
    (
      await dataOf(
        client === null
          ? env.app.gql<NodeAnswer>(NODE, { id })
          : client.gql<NodeAnswer>(NODE, { id }),
      )
    ).node;

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({ REPORT_QUEUE_THRESHOLD: '1' });
    generalId = await createGeneralBoard(env.admin);
    initech = await signUpMember(env.app, env.smtp);
    globex = await signUpMember(env.app, env.smtp);
    moderator = await signUpMember(env.app, env.smtp);
    officer = await signUpMember(env.app, env.smtp);
    const second = await signUpMember(env.app, env.smtp);
    await dataOf(verifyEmployer(env.app, env.smtp, initech, 'ann@initech.example'));
    await dataOf(verifyEmployer(env.app, env.smtp, globex, 'gus@globex.example'));
    await dataOf(
      env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: moderator.email,
      }),
    );
    await grantOfficers(env.admin, [officer, second]);

    publicThread = await postThread(initech, generalId, 'A public question', 'Hello all');
    publicComment = await postComment(globex, publicThread, 'A public answer');
    const { viewer } = await dataOf(
      initech.gql<{
        viewer: { memberships: Array<{ company: { id: string; board: { id: string } | null } }> };
      }>('{ viewer { memberships { company { id board { id } } } } }'),
    );
    companyId = viewer.memberships[0].company.id;
    companyBoardId = viewer.memberships[0].company.board!.id;
    companyThread = await postThread(initech, companyBoardId, 'Inside Initech', 'Only for us');
    const polled = await dataOf(
      initech.gql<{ createThread: { thread: { poll: { id: string } } } }>(
        `mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Lunch?", body: "Vote",
          poll: { question: "Where to?", options: ["Canteen", "Out"] } }) { thread { poll { id } } } }`,
        { b: companyBoardId },
      ),
    );
    pollId = polled.createThread.thread.poll.id;
    await dataOf(
      globex.gql('mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }', {
        c: publicThread,
      }),
    );
    const queue = await dataOf(
      moderator.gql<{ reviewQueue: { edges: Array<{ node: { id: string } }> } }>(
        '{ reviewQueue(first: 10) { edges { node { id } } } }',
      ),
    );
    reviewItemId = queue.reviewQueue.edges[0].node.id;
    ruleSetId = await draftRuleSet(officer, 'US', [
      {
        name: 'Example',
        matcher: { kind: 'KEYWORDS', terms: ['examplar'] },
        action: 'HOLD',
        legalBasis: 'Example',
        explanation: 'Example.',
      },
    ]);
  }, 300_000);
  afterAll(async () => env?.close());

  it('fetches threads, comments, boards and companies again by the ids the API gave', async () => {
    expect(await nodeOf(globex, publicThread)).toEqual({
      __typename: 'Thread',
      id: publicThread,
      title: 'A public question',
    });
    expect(await nodeOf(initech, publicComment)).toEqual({
      __typename: 'Comment',
      id: publicComment,
      body: 'A public answer',
    });
    expect(await nodeOf(globex, generalId)).toEqual({
      __typename: 'Board',
      id: generalId,
      slug: 'general',
    });
    expect(await nodeOf(null, companyId)).toEqual({
      __typename: 'Company',
      id: companyId,
      name: 'Initech',
    });
  });

  it('shows no more than the rest of the API: company boards and their threads to their members only', async () => {
    expect((await nodeOf(initech, companyBoardId))?.__typename).toBe('Board');
    expect((await nodeOf(initech, companyThread))?.__typename).toBe('Thread');
    for (const client of [globex, null]) {
      expect(await nodeOf(client, companyBoardId)).toBeNull();
      expect(await nodeOf(client, companyThread)).toBeNull();
    }
  });

  it('gives a poll to whoever may see its thread', async () => {
    expect(await nodeOf(initech, pollId)).toEqual({
      __typename: 'Poll',
      id: pollId,
      question: 'Where to?',
    });
    for (const client of [globex, null]) expect(await nodeOf(client, pollId)).toBeNull();
  });

  it('gives review items to moderators and rule set versions to compliance officers only', async () => {
    expect(await nodeOf(moderator, reviewItemId)).toMatchObject({
      __typename: 'ReviewItem',
      id: reviewItemId,
    });
    expect(await nodeOf(officer, ruleSetId)).toEqual({
      __typename: 'RuleSetVersion',
      id: ruleSetId,
      jurisdiction: 'US',
    });
    for (const client of [initech, officer, null])
      expect(await nodeOf(client, reviewItemId)).toBeNull();
    for (const client of [initech, moderator, null])
      expect(await nodeOf(client, ruleSetId)).toBeNull();
  });

  it('answers null for ids that name nothing, however they look', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'not-an-id',
      "' OR 1=1 --",
      'x'.repeat(10_000),
    ])
      expect(await nodeOf(initech, id)).toBeNull();
  });

  it('PageInfo says where a page starts and whether items came before it', async () => {
    await postThread(globex, generalId, 'Another public one', 'More');
    await postThread(globex, generalId, 'And a third', 'Even more');
    type Home = {
      home: {
        edges: Array<{ cursor: string; node: { id: string } }>;
        pageInfo: {
          hasNextPage: boolean;
          hasPreviousPage: boolean;
          startCursor: string | null;
          endCursor: string | null;
        };
      };
    };
    const first = (await dataOf(initech.gql<Home>(HOME))).home;
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0].cursor,
      endCursor: first.edges[1].cursor,
    });
    const second = (await dataOf(initech.gql<Home>(HOME, { after: first.pageInfo.endCursor })))
      .home;
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect(second.pageInfo.startCursor).toBe(second.edges[0].cursor);
    expect(second.edges.map((e) => e.node.id)).not.toContain(first.edges[0].node.id);
  });
});
