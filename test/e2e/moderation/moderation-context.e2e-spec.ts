import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { NO_RATE_LIMITS } from '../../../src/infrastructure/rate-limit/no-rate-limits';
import { dataOf } from '../../utils/compliance-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const ITEM = `id kind status version createdAt enteredQueueAt claimedByHandle viewerMayDecide
  reports { reason details at }
  appealOf { decision reasonCode note sanction sanctionDays decidedAt deciderHandle }
  history { action actorHandle }
  content { __typename ... on Comment { id } ... on Thread { id } }`;
const QUEUE = `query ($f: ReviewQueueFilter, $first: Int!) {
  reviewQueue(filter: $f, first: $first) { totalCount edges { node { ${ITEM} } } } }`;
const CLAIM = `mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { ${ITEM} } }`;
const DECIDE = `mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { ${ITEM} } }`;
const DECIDE_MANY = `mutation ($inputs: [DecideReviewItemInput!]!) { decideReviewItems(inputs: $inputs) { id status version } }`;
const REPORT =
  'mutation ($c: ID!, $r: ReportReason!, $d: String) { report(contentId: $c, reason: $r, details: $d) }';

interface Item {
  id: string;
  kind: string;
  status: string;
  version: number;
  createdAt: string;
  enteredQueueAt: string;
  claimedByHandle: string | null;
  viewerMayDecide: boolean;
  reports: Array<{ reason: string; details: string | null; at: string }>;
  appealOf: Record<string, unknown> | null;
  history: Array<{ action: string; actorHandle: string | null }>;
  content: { __typename: string; id: string };
}
interface Queue {
  reviewQueue: { totalCount: number; edges: Array<{ node: Item }> };
}
interface Decided {
  decideReviewItems: Array<{ id: string; status: string; version: number }>;
}

const onTheMinute = (iso: string) => expect(iso).toMatch(/T\d{2}:\d{2}:00\.000Z$/);

describe('Moderation context: reports, claim holder, decision under appeal, search, bulk decisions', () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let reporters: SignedInClient[];
  let moderatorA: SignedInClient;
  let moderatorB: SignedInClient;
  let scoped: SignedInClient;
  let general: string;
  let companyBoard: string;

  const queue = async (
    moderator: SignedInClient,
    filter: Record<string, unknown> = {},
    first = 100,
  ) => (await dataOf(moderator.gql<Queue>(QUEUE, { f: filter, first }))).reviewQueue;
  const itemFor = async (moderator: SignedInClient, contentId: string, kind = 'USER_REPORTS') =>
    (await queue(moderator, { kind })).edges
      .map((e) => e.node)
      .find((item) => item.content.id === contentId);
  const thread = async (boardId: string, title: string, body = 'text') =>
    (
      await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!, $t: String!, $body: String!) { createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } } }',
          { b: boardId, t: title, body },
        ),
      )
    ).createThread.thread.id;
  /** Three reports (the threshold for new reporters) put the post in the queue. */
  const queued = async (contentId: string, details: Array<string | null> = [null, null, null]) => {
    for (const [i, reporter] of reporters.entries()) {
      await dataOf(reporter.gql(REPORT, { c: contentId, r: 'HARASSMENT', d: details[i] }));
    }
    return (await itemFor(moderatorA, contentId))!;
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      ...NO_RATE_LIMITS,
      COMPANY_BOARD_MIN_MEMBERS: '1',
    });
    const { app, smtp, admin } = env;
    general = await createGeneralBoard(admin);
    const people = await Promise.all(Array.from({ length: 7 }, () => signUpMember(app, smtp)));
    [author, moderatorA, moderatorB, scoped] = people;
    reporters = people.slice(4);
    for (const moderator of [moderatorA, moderatorB, scoped]) {
      await dataOf(
        admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
          e: moderator.email,
        }),
      );
    }
    await dataOf(verifyEmployer(app, smtp, author, 'milton@initech.example'));
    for (const reporter of reporters) {
      await dataOf(
        verifyEmployer(app, smtp, reporter, `r${randomUUID().slice(0, 8)}@initech.example`),
      );
    }
    const boards = (
      await dataOf(
        author.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
      )
    ).boards;
    companyBoard = boards.find((b) => b.kind === 'COMPANY')!.id;
    const companyId = (
      await dataOf(
        admin.gql<{ companies: Array<{ id: string; slug: string }> }>(
          '{ companies(search: "initech") { id slug } }',
        ),
      )
    ).companies.find((c) => c.slug === 'initech')!.id;
    await dataOf(
      admin.gql('mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }', {
        e: scoped.email,
        c: companyId,
      }),
    );
  });
  afterAll(async () => {
    await env.close();
  });

  it('shows the reports, the claim holder, the time of entry and the decision under appeal', async () => {
    const postId = await thread(general, 'Floor 3 people', 'Everyone on floor 3 is an idiot');
    const item = await queued(postId, ['Insults the whole floor', null, 'Name-calling again']);

    // Reports: the reason, the reporter's words and the minute, never who.
    expect(item.reports).toHaveLength(3);
    expect(item.reports.map((r) => r.details)).toEqual([
      'Insults the whole floor',
      null,
      'Name-calling again',
    ]);
    for (const report of item.reports) {
      expect(Object.keys(report).sort()).toEqual(['at', 'details', 'reason']);
      expect(report.reason).toBe('HARASSMENT');
      onTheMinute(report.at);
    }
    onTheMinute(item.enteredQueueAt);
    onTheMinute(item.createdAt);
    expect(Date.parse(item.enteredQueueAt)).toBeGreaterThanOrEqual(Date.parse(item.createdAt));
    const reportFields = (
      await dataOf(
        moderatorA.gql<{ __type: { fields: Array<{ name: string }> } }>(
          '{ __type(name: "ReportDetail") { fields { name } } }',
        ),
      )
    ).__type.fields.map((f) => f.name);
    expect(reportFields.sort()).toEqual(['at', 'details', 'reason']);
    expect(item.appealOf).toBeNull();
    expect(item.claimedByHandle).toBeNull();
    expect(item.viewerMayDecide).toBe(true);

    // The claim holder, by staff handle, to every moderator; the others may not decide.
    const claimed = (
      await dataOf(
        moderatorA.gql<{ claimReviewItem: Item }>(CLAIM, { id: item.id, v: item.version }),
      )
    ).claimReviewItem;
    const handleA = claimed.history.find((h) => h.action === 'claimed')!.actorHandle!;
    expect(handleA).toMatch(/^Staff /);
    expect(claimed.claimedByHandle).toBe(handleA);
    const seenByB = (await itemFor(moderatorB, postId))!;
    expect(seenByB.claimedByHandle).toBe(handleA);
    expect(seenByB.viewerMayDecide).toBe(false);
    expect(JSON.stringify(seenByB)).not.toContain(moderatorA.email);

    await dataOf(
      moderatorA.gql(DECIDE, {
        input: {
          id: item.id,
          version: claimed.version,
          decision: 'REJECT',
          reasonCode: 'harassment',
          note: 'Insulting colleagues is not allowed.',
          sanction: { kind: 'SUSPENSION', days: 7 },
        },
      }),
    );
    await dataOf(
      author.gql(
        'mutation ($c: ID!) { appeal(contentId: $c, statement: "It was a joke among friends.") }',
        { c: postId },
      ),
    );

    // The appeal shows the decision under appeal and the reports behind it.
    const appeal = (await itemFor(moderatorB, postId, 'APPEAL'))!;
    expect(appeal.appealOf).toEqual({
      decision: 'REJECT',
      reasonCode: 'harassment',
      note: 'Insulting colleagues is not allowed.',
      sanction: 'SUSPENSION',
      sanctionDays: 7,
      decidedAt: expect.any(String),
      deciderHandle: handleA,
    });
    onTheMinute(appeal.appealOf!.decidedAt as string);
    expect(appeal.reports).toHaveLength(3);
    expect(appeal.claimedByHandle).toBeNull();
    expect(appeal.viewerMayDecide).toBe(true);

    // The moderator who decided may not decide the appeal, alone or in bulk.
    const asDecider = (await itemFor(moderatorA, postId, 'APPEAL'))!;
    expect(asDecider.viewerMayDecide).toBe(false);
    const refused = await moderatorA.gql(DECIDE, {
      input: {
        id: appeal.id,
        version: appeal.version,
        decision: 'REJECT',
        reasonCode: 'harassment',
      },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const refusedInBulk = await moderatorA.gql<Decided>(DECIDE_MANY, {
      inputs: [{ id: appeal.id, version: appeal.version, decision: 'APPROVE' }],
    });
    expect(refusedInBulk.data?.decideReviewItems).toEqual([]);
    expect(refusedInBulk.errors).toEqual([
      expect.objectContaining({
        path: ['decideReviewItems'],
        extensions: { code: 'FORBIDDEN', id: appeal.id, index: 0 },
      }),
    ]);

    // The appeal's statement is its summary: the search finds it.
    const found = await queue(moderatorB, { search: 'JOKE among' });
    expect(found.edges.map((e) => e.node.id)).toEqual([appeal.id]);
    expect(found.totalCount).toBe(1);

    const decided = (
      await dataOf(
        moderatorB.gql<Decided>(DECIDE_MANY, {
          inputs: [{ id: appeal.id, version: appeal.version, decision: 'APPROVE', note: 'Fair.' }],
        }),
      )
    ).decideReviewItems;
    expect(decided).toEqual([{ id: appeal.id, status: 'APPROVED', version: appeal.version + 1 }]);
    await outboxDrained(env.app.app); // the suspension is lifted: the author posts again
  });

  it('counts and searches the filtered queue (post text, summaries; wildcards are literal)', async () => {
    const zebra = await thread(general, 'Quarterly zebra figures', 'numbers');
    const crossing = await thread(general, 'Crossing', 'the zebra_crossing is 100% unsafe');
    const lunch = await thread(companyBoard, 'Lunch menu', 'zebra steaks on Friday');
    const plain = await thread(general, 'Parking', 'cars everywhere');
    const ids = new Map<string, string>();
    for (const post of [zebra, crossing, lunch, plain]) ids.set(post, (await queued(post)).id);
    const idsOf = (q: Queue['reviewQueue']) => q.edges.map((e) => e.node.id).sort();

    const all = await queue(moderatorA);
    expect(all.totalCount).toBe(all.edges.length);
    expect(all.totalCount).toBeGreaterThanOrEqual(4);
    expect((await queue(moderatorA, {}, 1)).totalCount).toBe(all.totalCount);

    const zebras = await queue(moderatorA, { search: 'ZEBRA' }, 2);
    expect(zebras.edges).toHaveLength(2);
    expect(zebras.totalCount).toBe(3);
    expect(idsOf(await queue(moderatorA, { search: 'zebra' }))).toEqual(
      [ids.get(zebra), ids.get(crossing), ids.get(lunch)].sort(),
    );
    // LIKE wildcards are searched for as characters.
    expect(idsOf(await queue(moderatorA, { search: '100%' }))).toEqual([ids.get(crossing)]);
    expect(idsOf(await queue(moderatorA, { search: 'a_c' }))).toEqual([ids.get(crossing)]);
    expect((await queue(moderatorA, { search: '%' })).totalCount).toBe(1);
    expect((await queue(moderatorA, { search: '_' })).totalCount).toBe(1);
    expect((await queue(moderatorA, { search: '\\' })).totalCount).toBe(0);
    // The summary of report items ("3 reports: Harassment") is searched too.
    expect((await queue(moderatorA, { search: '3 reports' })).totalCount).toBeGreaterThanOrEqual(4);

    // Odd input is never an error: control characters, blanks, a very long text.
    expect(idsOf(await queue(moderatorA, { search: '\u001bzebra\u0007\n' }))).toHaveLength(3);
    expect((await queue(moderatorA, { search: '   ' })).totalCount).toBe(all.totalCount);
    const long = await moderatorA.gql<Queue>(QUEUE, {
      f: { search: 'zebra'.repeat(2000) },
      first: 5,
    });
    expect(long.errors).toBeUndefined();
    expect(long.data?.reviewQueue.totalCount).toBe(0);
    expect(
      (await moderatorA.gql<Queue>(QUEUE, { f: { search: '𝒵'.repeat(150) + '\uD800' }, first: 5 }))
        .errors,
    ).toBeUndefined();

    // Filters combine; a scoped moderator counts their company's board only.
    expect(idsOf(await queue(moderatorA, { search: 'zebra', boardKind: 'COMPANY' }))).toEqual([
      ids.get(lunch),
    ]);
    const scopedView = await queue(scoped, { search: 'zebra' });
    expect(idsOf(scopedView)).toEqual([ids.get(lunch)]);
    expect(scopedView.totalCount).toBe(1);
    expect((await queue(scoped)).totalCount).toBe((await queue(scoped)).edges.length);
  });

  it('decides in bulk, each input on its own: the decided items, one error per failed input', async () => {
    const [x, y, z, w] = await Promise.all([
      thread(general, 'Bulk x'),
      thread(general, 'Bulk y'),
      thread(companyBoard, 'Bulk z'),
      thread(general, 'Bulk w'),
    ]);
    const [ix, iy, iz, iw] = [await queued(x), await queued(y), await queued(z), await queued(w)];
    const missing = randomUUID();

    const res = await moderatorA.gql<Decided>(DECIDE_MANY, {
      inputs: [
        { id: ix.id, version: ix.version, decision: 'IGNORE' },
        { id: iy.id, version: iy.version + 5, decision: 'IGNORE' },
        { id: missing, version: 1, decision: 'IGNORE' },
        { id: iw.id, version: iw.version, decision: 'REJECT' },
        { id: iw.id, version: iw.version, decision: 'IGNORE', note: 'n'.repeat(2001) },
        { id: ix.id, version: ix.version, decision: 'IGNORE' },
        { id: iz.id, version: iz.version, decision: 'REJECT', reasonCode: 'harassment' },
      ],
    });
    expect(res.data?.decideReviewItems).toEqual([
      { id: ix.id, status: 'IGNORED', version: ix.version + 1 },
      { id: iz.id, status: 'REJECTED', version: iz.version + 1 },
    ]);
    expect(res.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'CONFLICT', reason: 'STALE_VERSION', id: iy.id, index: 1 }),
      { code: 'NOT_FOUND', id: missing, index: 2 },
      expect.objectContaining({ code: 'BAD_USER_INPUT', id: iw.id, index: 3 }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', id: iw.id, index: 4 }),
      expect.objectContaining({ code: 'CONFLICT', id: ix.id, index: 5 }),
    ]);
    // The failed ones are untouched.
    expect((await itemFor(moderatorA, y))?.version).toBe(iy.version);
    expect((await itemFor(moderatorA, w))?.version).toBe(iw.version);

    // A moderator scoped to Initech decides its board's items only.
    const scopedRes = await scoped.gql<Decided>(DECIDE_MANY, {
      inputs: [
        { id: iy.id, version: iy.version, decision: 'IGNORE' },
        { id: iw.id, version: iw.version, decision: 'IGNORE' },
      ],
    });
    expect(scopedRes.data?.decideReviewItems).toEqual([]);
    expect(scopedRes.errors?.map((e) => e.extensions)).toEqual([
      { code: 'FORBIDDEN', id: iy.id, index: 0 },
      { code: 'FORBIDDEN', id: iw.id, index: 1 },
    ]);

    // The list is capped (1–50), and a member may not use it at all.
    const tooMany = await moderatorA.gql<Decided>(DECIDE_MANY, {
      inputs: Array.from({ length: 51 }, () => ({
        id: iy.id,
        version: iy.version,
        decision: 'IGNORE',
      })),
    });
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (await moderatorA.gql<Decided>(DECIDE_MANY, { inputs: [] })).errors?.[0].extensions?.code,
    ).toBe('BAD_USER_INPUT');
    const member = await author.gql<Decided>(DECIDE_MANY, {
      inputs: [{ id: iy.id, version: iy.version, decision: 'IGNORE' }],
    });
    expect(member.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await itemFor(moderatorA, y))?.version).toBe(iy.version);

    const rest = (
      await dataOf(
        moderatorB.gql<Decided>(DECIDE_MANY, {
          inputs: [
            { id: iy.id, version: iy.version, decision: 'IGNORE' },
            { id: iw.id, version: iw.version, decision: 'APPROVE' },
          ],
        }),
      )
    ).decideReviewItems;
    expect(rest.map((r) => r.status)).toEqual(['IGNORED', 'APPROVED']);
  });

  it('resolves a page of the queue in the same number of queries, whatever its size', async () => {
    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    const logger = content.logger;
    const original = logger.logQuery.bind(logger);
    const seen: string[] = [];
    logger.logQuery = (query, parameters, runner): void => {
      if (/review_items|review_events|"reports"|threads|comments/.test(query)) seen.push(query);
      original(query, parameters, runner);
    };
    const queriesFor = async (first: number) => {
      seen.length = 0;
      const page = await queue(moderatorA, { kind: 'USER_REPORTS' }, first);
      return { count: seen.length, items: page.edges.length };
    };
    try {
      const small = await queriesFor(1);
      const large = await queriesFor(100);
      expect(small.items).toBe(1);
      expect(small.count).toBeGreaterThan(0);
      expect(large.items).toBeGreaterThanOrEqual(4);
      expect(large.count).toBe(small.count);
    } finally {
      logger.logQuery = original;
    }
  });
});
