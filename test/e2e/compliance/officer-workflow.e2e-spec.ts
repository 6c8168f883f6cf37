import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import {
  dataOf,
  draftRuleSet,
  grantOfficers,
  PUBLISH_RULE_SET as PUBLISH,
} from '../../utils/compliance-client';
import { retroactiveRunDone } from '../../utils/domain-events';

const NOTICE = 'jurisdiction ruleName action legalBasis explanation';
const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } notices { ${NOTICE} } }
}`;
const FEED = '{ board(slug: "general") { threads(first: 100) { edges { node { id } } } } }';

interface Notice {
  jurisdiction: string;
  ruleName: string;
  action: string;
}
interface Created {
  createThread: { thread: { id: string; status: string }; notices: Notice[] };
}
interface Feed {
  board: { threads: { edges: Array<{ node: { id: string } }> } };
}

const CN_STRIKE = {
  name: 'Strike calls',
  matcher: { kind: 'KEYWORDS', terms: ['罢工'] },
  action: 'HOLD',
  legalBasis: 'Public Security Administration Punishments Law art. 23',
  explanation: 'Calls to strike are reviewed before publication in China.',
};
const DE_BLOCK = {
  name: 'Banned slogan',
  matcher: { kind: 'KEYWORDS', terms: ['Sieg Heil'] },
  action: 'BLOCK',
  legalBasis: 'StGB §86a',
  explanation: 'Slogans of banned organisations are illegal in Germany.',
};

/**
 * The officer workflow end to end (project issue 6): two officers, a CN set that holds and a DE
 * set that blocks, what members in CN, the US and DE then see, tests and previews, a rollback
 * and a retroactive publication.
 */
describe('Compliance officers at work', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let memberCN: SignedInClient;
  let memberUS: SignedInClient;
  let memberDE: SignedInClient;
  let boardId: string;
  let deVersion1: string;
  let olderPost: string;

  const feed = async (client: SignedInClient) =>
    (await dataOf(client.gql<Feed>(FEED))).board.threads.edges.map((e) => e.node.id);
  const post = (client: SignedInClient, title: string, body: string) =>
    client.gql<Created>(CREATE_THREAD, { b: boardId, t: title, body });
  const draftWith = (jurisdiction: string, rules: object[], copyActive = false) =>
    draftRuleSet(officerA, jurisdiction, rules, copyActive);

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Globex', slug: 'globex' });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    [officerA, officerB, memberCN, memberUS, memberDE] = await Promise.all(
      ['US', 'US', 'CN', 'US', 'DE'].map((jurisdiction) =>
        signUpMember(app, smtp, { jurisdiction }),
      ),
    );
    await grantOfficers(admin, [officerA, officerB]);
    for (const [i, member] of [memberCN, memberUS, memberDE].entries()) {
      expect(
        (await verifyEmployer(app, smtp, member, `employee${i}@globex.example`)).errors,
      ).toBeUndefined();
    }
    boardId = (
      await dataOf(memberUS.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
    ).board.id;
    // Posted before any rule exists: the retroactive publication below reaches it.
    olderPost = (await dataOf(post(memberUS, 'Pay freeze', 'Is a freeze of wages legal?')))
      .createThread.thread.id;
  });
  afterAll(async () => env.close());

  it('needs a second officer to publish; then both sets apply', async () => {
    const cn = await draftWith('CN', [CN_STRIKE]);
    deVersion1 = await draftWith('DE', [DE_BLOCK]);
    const refused = await officerA.gql(PUBLISH, { id: cn });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const id of [cn, deVersion1]) {
      expect(
        (await dataOf(officerB.gql<{ publishRuleSet: { status: string } }>(PUBLISH, { id })))
          .publishRuleSet.status,
      ).toBe('ACTIVE');
    }
  });

  it('holds a CN member’s post with the CN term, with a notice', async () => {
    const res = await dataOf(post(memberCN, '明天', '我们明天罢工'));
    expect(res.createThread.thread.status).toBe('HELD');
    expect(res.createThread.notices).toEqual([
      expect.objectContaining({ jurisdiction: 'CN', ruleName: 'Strike calls', action: 'HOLD' }),
    ]);
    expect(await feed(memberUS)).not.toContain(res.createThread.thread.id);
  });

  it('publishes a US member’s DE-blocked phrase on a US board, absent for DE only', async () => {
    const res = await dataOf(
      post(memberUS, 'History class', 'The film showed crowds shouting Sieg Heil.'),
    );
    const id = res.createThread.thread.id;
    expect(res.createThread.thread.status).toBe('PUBLISHED');
    expect(res.createThread.notices).toEqual([
      expect.objectContaining({ jurisdiction: 'DE', action: 'WITHHOLD' }),
    ]);
    expect(await feed(memberDE)).not.toContain(id);
    expect(await feed(memberUS)).toContain(id);
  });

  it('refuses the same phrase from a DE member with CONTENT_BLOCKED and notices', async () => {
    const res = await post(memberDE, 'Slogan', 'Sieg Heil');
    expect(res.errors?.[0].extensions?.code).toBe('CONTENT_BLOCKED');
    expect(res.errors?.[0].extensions?.notices).toEqual([
      {
        jurisdiction: 'DE',
        ruleName: 'Banned slogan',
        action: 'BLOCK',
        legalBasis: 'StGB §86a',
        explanation: 'Slogans of banned organisations are illegal in Germany.',
      },
    ]);
  });

  it('tests and previews a draft; a rollback restores the previous behaviour', async () => {
    const wages = {
      name: 'Wage talk',
      matcher: { kind: 'KEYWORDS', terms: ['wages'] },
      action: 'BLOCK',
      legalBasis: 'Example',
      explanation: 'Example.',
    };
    const draft = await draftWith('DE', [wages], true);
    const tested = await dataOf(
      officerB.gql<{
        testRules: {
          hits: Array<{ ruleName: string; matchedText: string; start: number }>;
          outcome: string;
        };
      }>(
        'query ($id: ID!, $t: String!) { testRules(ruleSetId: $id, text: $t) { hits { ruleName matchedText start } outcome } }',
        { id: draft, t: 'low wages, Sieg Heil' },
      ),
    );
    expect(tested.testRules.hits.map((h) => [h.ruleName, h.matchedText, h.start])).toEqual([
      ['Wage talk', 'wages', 4],
      ['Banned slogan', 'Sieg Heil', 11],
    ]);
    const preview = await dataOf(
      officerB.gql<{
        previewRuleSetImpact: {
          changed: number;
          byAction: Array<{ action: string; count: number }>;
          samples: Array<{ contentId: string }>;
        };
      }>(
        'query ($id: ID!, $s: DateTime!) { previewRuleSetImpact(ruleSetId: $id, since: $s) { changed byAction { action count } samples { contentId } } }',
        { id: draft, s: new Date(0).toISOString() },
      ),
    );
    // Only the older post mentions wages; on a US board a DE BLOCK withholds it in DE.
    expect(preview.previewRuleSetImpact.changed).toBe(1);
    expect(preview.previewRuleSetImpact.byAction).toEqual([{ action: 'WITHHOLD', count: 1 }]);
    expect(preview.previewRuleSetImpact.samples.map((s) => s.contentId)).toEqual([olderPost]);

    await dataOf(officerB.gql(PUBLISH, { id: draft }));
    expect((await post(memberDE, 'Pay', 'our wages are low')).errors?.[0].extensions?.code).toBe(
      'CONTENT_BLOCKED',
    );
    // Under four eyes the rollback is a draft that the other officer publishes.
    const rollback = await dataOf(
      officerA.gql<{ rollbackRuleSet: { id: string; status: string } }>(
        'mutation { rollbackRuleSet(jurisdiction: "DE", toVersion: 1) { id status } }',
      ),
    );
    expect(rollback.rollbackRuleSet.status).toBe('DRAFT');
    expect((await post(memberDE, 'Pay', 'our wages are low')).errors?.[0].extensions?.code).toBe(
      'CONTENT_BLOCKED',
    );
    await dataOf(officerB.gql(PUBLISH, { id: rollback.rollbackRuleSet.id }));
    const after = await dataOf(post(memberDE, 'Pay', 'our wages are low'));
    expect(after.createThread.thread.status).toBe('PUBLISHED');
    expect((await post(memberDE, 'Slogan', 'Sieg Heil')).errors?.[0].extensions?.code).toBe(
      'CONTENT_BLOCKED',
    );
  });

  it('withholds an older post when a version is published retroactively', async () => {
    expect(await feed(memberCN)).toContain(olderPost);
    const draft = await draftWith('CN', [
      CN_STRIKE,
      {
        name: 'Wage disputes',
        matcher: { kind: 'KEYWORDS', terms: ['freeze of wages'] },
        action: 'WITHHOLD',
        legalBasis: 'Example',
        explanation: 'Withheld in China.',
      },
    ]);
    await dataOf(officerB.gql(PUBLISH, { id: draft, r: true }));
    await retroactiveRunDone(env.app.app, draft);
    expect(await feed(memberCN)).not.toContain(olderPost);
    expect(await feed(memberUS)).toContain(olderPost);
    const notices = await dataOf(
      memberUS.gql<{ thread: { notices: Notice[] } }>(
        'query ($id: ID!) { thread(id: $id) { notices { jurisdiction action } } }',
        {
          id: olderPost,
        },
      ),
    );
    expect(notices.thread.notices).toEqual([{ jurisdiction: 'CN', action: 'WITHHOLD' }]);
  });
});
