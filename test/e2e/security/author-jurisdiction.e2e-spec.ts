import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RuleSetVersionEntity } from '../../../src/compliance/rule-sets/rule-set-version.entity';
import { RuleEntity } from '../../../src/compliance/rule-sets/rule.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { DomainEvents } from '../../../src/infrastructure/events/domain-events';
import { ReviewItemEntity } from '../../../src/moderation/review.entity';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { tableName } from '../../utils/store-dump';
import { waitFor } from '../../utils/wait';

/**
 * The author's jurisdiction is not kept with a post (docs/anonymity.md, "Compliance"). A rule
 * of it that acts only because it governs the post (a HOLD or a REDACT on a board of another
 * jurisdiction) is kept as "a rule of the author's jurisdiction": no row the post leaves in the
 * content store — notices, review item, review events, the review request on its way — names
 * the jurisdiction or its rule. (The day's compliance counters count it under its
 * jurisdiction: an aggregate naming no post.) Rules that act the same whoever the author is
 * (FLAG, WITHHOLD) are kept as they are: they tell nothing about the author.
 */

const NOTICE = 'jurisdiction ruleName action legalBasis explanation';
const CN_RULES = [
  {
    name: 'Collective action',
    matcher: { kind: 'KEYWORDS', terms: ['walkout'] },
    action: 'HOLD',
    legalBasis: 'Provisions on Ecological Governance art. 6',
    explanation: 'Held under PRC rules.',
  },
  {
    name: 'Nicknames of leaders',
    matcher: { kind: 'KEYWORDS', terms: ['winnie'] },
    action: 'REDACT',
    legalBasis: 'Cybersecurity Law art. 12',
    explanation: 'Masked under PRC rules.',
  },
  {
    name: 'Petitions',
    matcher: { kind: 'KEYWORDS', terms: ['petition'] },
    action: 'FLAG',
    legalBasis: 'Regulations on Letters and Visits',
    explanation: 'Petitions are reviewed.',
  },
];

interface Notice {
  jurisdiction: string;
  ruleName: string;
  action: string;
  legalBasis: string;
  explanation: string;
}
type Row = Record<string, unknown>;

describe("The author's jurisdiction is not kept with their posts", () => {
  let env: IdentityTestApp;
  let boardId: string;
  let cnMember: SignedInClient;
  let usMember: SignedInClient;
  /** Every string naming CN or one of its rules, as stored in the rule tables. */
  let forbidden: string[];
  const published: unknown[] = [];
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  /** Every row of the content store, per table, as JSON. */
  const snapshot = async (): Promise<Map<string, Set<string>>> => {
    const store = content();
    const tables = new Map<string, Set<string>>();
    for (const entity of store.entityMetadatas) {
      const rows = await store.query<Row[]>(`SELECT * FROM ${tableName(store, entity.tablePath)}`);
      tables.set(entity.tableName, new Set(rows.map((row) => JSON.stringify(row))));
    }
    return tables;
  };
  /** The rows written or changed since `before`, but the day's compliance counters. */
  const newRows = async (before: Map<string, Set<string>>): Promise<string[]> => {
    const rows: string[] = [];
    for (const [table, after] of await snapshot()) {
      if (table === 'compliance_action_counts') continue;
      for (const row of after) if (!before.get(table)?.has(row)) rows.push(`${table}: ${row}`);
    }
    return rows;
  };
  /** What in `texts` names CN or one of its rules. */
  const mentions = (texts: readonly string[]): string[] =>
    texts.filter(
      (text) =>
        /(^|[^A-Za-z0-9_-])CN($|[^A-Za-z0-9_-])/.test(text) ||
        // As words: random tokens in the rows (base64url) can hold "prc" by chance.
        /(^|[^A-Za-z0-9_-])(china|prc)($|[^A-Za-z0-9_-])/i.test(text) ||
        forbidden.some((value) => text.includes(value)),
    );

  const createThread = (who: SignedInClient, title: string, body: string) =>
    dataOf(
      who.gql<{
        createThread: { thread: { id: string; status: string; body: string }; notices: Notice[] };
      }>(
        `mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id status body } notices { ${NOTICE} } } }`,
        { i: { boardId, title, body } },
      ),
    ).then((d) => d.createThread);
  const noticesOf = async (who: SignedInClient, id: string) =>
    (
      await dataOf(
        who.gql<{ thread: { notices: Notice[] } | null }>(
          `query ($id: ID!) { thread(id: $id) { notices { ${NOTICE} } } }`,
          { id },
        ),
      )
    ).thread?.notices;

  beforeAll(async () => {
    const original = DomainEvents.prototype.publish;
    jest.spyOn(DomainEvents.prototype, 'publish').mockImplementation(function (
      this: DomainEvents,
      ...args: Parameters<DomainEvents['publish']>
    ) {
      published.push(args[1]);
      return original.apply(this, args);
    });
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' });
    const { app, smtp, admin } = env;
    boardId = await createGeneralBoard(admin); // a US board
    let officerA: SignedInClient;
    let officerB: SignedInClient;
    [officerA, officerB, cnMember, usMember] = await Promise.all([
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'CN' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
    ]);
    await grantOfficers(admin, [officerA, officerB]);
    for (const [who, work] of [
      [cnMember, 'cn@initech.example'],
      [usMember, 'us@initech.example'],
    ] as const) {
      expect((await verifyEmployer(app, smtp, who, work)).errors).toBeUndefined();
    }
    const ruleSetId = await draftRuleSet(officerA, 'CN', CN_RULES);
    await publishRuleSet(officerB, ruleSetId);
    const rules = await content().getRepository(RuleEntity).findBy({ ruleSetId });
    expect(rules).toHaveLength(CN_RULES.length);
    forbidden = [
      ruleSetId,
      ...rules.flatMap((rule) => [rule.id, rule.name, rule.legalBasis, rule.explanation]),
    ];
    const version = await content().getRepository(RuleSetVersionEntity).findOneByOrFail({
      id: ruleSetId,
    });
    expect(version.jurisdiction).toBe('CN');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await env?.close();
  });

  it('keeps a HOLD by the author’s jurisdiction without naming it: notices, review item, events', async () => {
    await outboxDrained(env.app.app);
    const before = await snapshot();
    published.length = 0;

    const created = await createThread(cnMember, 'Friday', 'shall we plan a walkout?');
    expect(created.thread.status).toBe('HELD');
    // The author is told, in full, when they post.
    expect(created.notices).toEqual([
      {
        jurisdiction: 'CN',
        ruleName: 'Collective action',
        action: 'HOLD',
        legalBasis: 'Provisions on Ecological Governance art. 6',
        explanation: 'Held under PRC rules.',
      },
    ]);
    const id = created.thread.id;
    const item = await waitFor('the review item', () =>
      content().getRepository(ReviewItemEntity).findOneBy({ contentId: id }),
    );
    await outboxDrained(env.app.app);

    const rows = await newRows(before);
    expect(rows.some((row) => row.startsWith('content_notices:'))).toBe(true);
    expect(rows.some((row) => row.startsWith('review_events:'))).toBe(true);
    expect(mentions(rows)).toEqual([]);
    // The review request on its way (an outbox row until delivered) names nothing either.
    expect(published.length).toBeGreaterThan(0);
    expect(mentions(published.map((event) => JSON.stringify(event)))).toEqual([]);

    // What moderators see: why it is held, not where its author is.
    expect(item.reasons).toEqual([
      expect.objectContaining({
        kind: 'RULE_HOLD',
        ruleName: "a rule of the author's jurisdiction",
      }),
    ]);
    // What the author (and staff) see afterwards: the kept notice.
    expect(await noticesOf(cnMember, id)).toEqual([
      {
        jurisdiction: '',
        ruleName: "a rule of the author's jurisdiction",
        action: 'HOLD',
        legalBasis: '',
        explanation: expect.stringContaining(
          "Held for review under a rule of the author's jurisdiction",
        ),
      },
    ]);
  });

  it('keeps a REDACT by the author’s jurisdiction without naming it', async () => {
    await outboxDrained(env.app.app);
    const before = await snapshot();
    const created = await createThread(cnMember, 'Nicknames', 'they call him winnie');
    expect(created.thread.status).toBe('PUBLISHED');
    expect(created.thread.body).not.toContain('winnie');
    expect(created.notices.map((n) => [n.jurisdiction, n.action])).toEqual([['CN', 'REDACT']]);
    await outboxDrained(env.app.app);
    const rows = await newRows(before);
    expect(rows.some((row) => row.startsWith('content_notices:'))).toBe(true);
    expect(mentions(rows)).toEqual([]);

    // An edit is judged again, by the author's jurisdiction too: kept the same way.
    const beforeEdit = await snapshot();
    const edited = await dataOf(
      cnMember.gql<{ editThread: { thread: { status: string } } }>(
        'mutation ($id: ID!) { editThread(id: $id, body: "or a walkout") { thread { status } } }',
        { id: created.thread.id },
      ),
    );
    expect(edited.editThread.thread.status).toBe('HELD');
    await waitFor('the review item', () =>
      content().getRepository(ReviewItemEntity).findOneBy({ contentId: created.thread.id }),
    );
    await outboxDrained(env.app.app);
    const editRows = await newRows(beforeEdit);
    expect(editRows.some((row) => row.startsWith('review_items:'))).toBe(true);
    expect(mentions(editRows)).toEqual([]);
  });

  it('keeps rules that act the same whoever the author is as they are, the same for both', async () => {
    // A FLAG of CN on a US board flags the post whether its author is in CN or not; a HOLD of
    // CN withholds a US member's post in CN. Their notices name CN for every author alike.
    const flaggedCn = await createThread(cnMember, 'Petition', 'sign the petition');
    const flaggedUs = await createThread(usMember, 'Petition', 'sign the petition');
    expect(await noticesOf(cnMember, flaggedCn.thread.id)).toEqual(
      await noticesOf(usMember, flaggedUs.thread.id),
    );
    expect((await noticesOf(usMember, flaggedUs.thread.id))?.map((n) => n.jurisdiction)).toEqual([
      'CN',
    ]);
    const withheld = await createThread(usMember, 'Friday', 'shall we plan a walkout?');
    expect(withheld.thread.status).toBe('PUBLISHED');
    expect(withheld.notices.map((n) => [n.jurisdiction, n.action])).toEqual([['CN', 'WITHHOLD']]);
    expect(await noticesOf(usMember, withheld.thread.id)).toEqual(withheld.notices);

    // On a CN board, CN governs as the board's jurisdiction, for every author: named.
    const cnBoard = (
      await dataOf(
        env.admin.gql<{ createBoard: { id: string } }>(
          'mutation { createBoard(slug: "shanghai", name: "Shanghai", jurisdiction: "CN") { id } }',
        ),
      )
    ).createBoard.id;
    const onCnBoard = await dataOf(
      cnMember.gql<{ createThread: { thread: { id: string; status: string } } }>(
        'mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id status } } }',
        { i: { boardId: cnBoard, title: 'Friday', body: 'shall we plan a walkout?' } },
      ),
    );
    expect(onCnBoard.createThread.thread.status).toBe('HELD');
    expect(await noticesOf(cnMember, onCnBoard.createThread.thread.id)).toEqual([
      expect.objectContaining({
        jurisdiction: 'CN',
        ruleName: 'Collective action',
        action: 'HOLD',
      }),
    ]);
  });
});
