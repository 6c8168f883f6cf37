import { randomUUID } from 'node:crypto';
import { NO_RATE_LIMITS } from '../../../src/infrastructure/rate-limit/no-rate-limits';
import { dataOf } from '../../utils/compliance-client';
import { outboxDrained } from '../../utils/domain-events';
import { countStatements } from '../../utils/sql-statements';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const ITEM = `id kind version content { __typename ... on Thread { id } ... on Comment { id } }
  authorHistory { windowDays warnings suspensions bans }`;
const QUEUE = `query ($f: ReviewQueueFilter) {
  reviewQueue(filter: $f, first: 100) { jurisdictions edges { node { ${ITEM} } } } }`;
const DECIDE = `mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { id } }`;
const REPORT = 'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT) }';

interface History {
  windowDays: number;
  warnings: number;
  suspensions: number;
  bans: number;
}
interface Item {
  id: string;
  kind: string;
  version: number;
  content: { id: string };
  authorHistory: History | null;
}
interface Queue {
  reviewQueue: { jurisdictions: string[]; edges: Array<{ node: Item }> };
}

const none: History = { windowDays: 365, warnings: 0, suspensions: 0, bans: 0 };

describe('Author history on review items: earlier upheld sanctions, counted', () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let other: SignedInClient;
  let reporters: SignedInClient[];
  let moderatorA: SignedInClient;
  let moderatorB: SignedInClient;
  let general: string;

  const itemFor = async (contentId: string, kind = 'USER_REPORTS', as = moderatorA) => {
    const queue = await dataOf(as.gql<Queue>(QUEUE, { f: { kind } }));
    return queue.reviewQueue.edges.map((e) => e.node).find((item) => item.content.id === contentId);
  };
  const post = async (by: SignedInClient, title: string) =>
    (
      await dataOf(
        by.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "Words" }) { thread { id } } }',
          { b: general, t: title },
        ),
      )
    ).createThread.thread.id;
  const queued = async (contentId: string) => {
    for (const reporter of reporters) await dataOf(reporter.gql(REPORT, { c: contentId }));
    return (await itemFor(contentId))!;
  };
  const reject = async (item: Item, sanction: Record<string, unknown> | null) =>
    dataOf(
      moderatorA.gql(DECIDE, {
        input: {
          id: item.id,
          version: item.version,
          decision: 'REJECT',
          reasonCode: 'harassment',
          ...(sanction === null ? {} : { sanction }),
        },
      }),
    );

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      ...NO_RATE_LIMITS,
    });
    const { app, smtp, admin } = env;
    general = await createGeneralBoard(admin);
    const people = await Promise.all(Array.from({ length: 7 }, () => signUpMember(app, smtp)));
    [author, other, moderatorA, moderatorB] = people;
    reporters = people.slice(4);
    for (const moderator of [moderatorA, moderatorB]) {
      await dataOf(
        admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
          e: moderator.email,
        }),
      );
    }
    for (const person of [author, other, ...reporters]) {
      await dataOf(
        verifyEmployer(app, smtp, person, `p${randomUUID().slice(0, 8)}@initech.example`),
      );
    }
  });
  afterAll(async () => {
    await env.close();
  });

  it('counts the author’s earlier sanctions by kind, drops one lifted on appeal, and names nothing', async () => {
    // Posted first: a suspended author cannot post.
    const posts = [];
    for (const title of ['First rant', 'Second rant', 'Third rant', 'Fourth rant'])
      posts.push(await post(author, title));
    const otherPost = await post(other, 'Someone else entirely');

    const first = await queued(posts[0]);
    expect(first.authorHistory).toEqual(none);
    await reject(first, { kind: 'SUSPENSION', days: 3 });
    await reject(await queued(posts[1]), { kind: 'WARNING' });
    await reject(await queued(posts[2]), null); // a removal without a sanction is not a sanction
    await outboxDrained(env.app.app);

    const fourth = await queued(posts[3]);
    expect(fourth.authorHistory).toEqual({ windowDays: 365, warnings: 1, suspensions: 1, bans: 0 });
    // Another author's post shows their own (empty) history, not this author's.
    expect((await queued(otherPost)).authorHistory).toEqual(none);

    // Counts only: no id, time or post in the type.
    const fields = (
      await dataOf(
        moderatorA.gql<{ __type: { fields: Array<{ name: string }> } }>(
          '{ __type(name: "AuthorHistory") { fields { name } } }',
        ),
      )
    ).__type.fields.map((f) => f.name);
    expect(fields.sort()).toEqual(['bans', 'suspensions', 'warnings', 'windowDays']);

    // An appeal upheld lifts the suspension: it no longer counts.
    await dataOf(
      author.gql('mutation ($c: ID!) { appeal(contentId: $c, statement: "Unfair.") }', {
        c: first.content.id,
      }),
    );
    const appeal = (await itemFor(first.content.id, 'APPEAL', moderatorB))!;
    expect(appeal.authorHistory).toEqual({ windowDays: 365, warnings: 1, suspensions: 1, bans: 0 });
    await dataOf(
      moderatorB.gql(DECIDE, {
        input: { id: appeal.id, version: appeal.version, decision: 'APPROVE' },
      }),
    );
    await outboxDrained(env.app.app);
    expect((await itemFor(fourth.content.id))!.authorHistory).toEqual({
      windowDays: 365,
      warnings: 1,
      suspensions: 0,
      bans: 0,
    });
  });

  it('reads the histories of a whole page at once, each item its own author’s', async () => {
    // The items left by the test above: the author's and the other member's, in one page.
    const page = async (withHistory: boolean) =>
      (
        await dataOf(
          moderatorA.gql<Queue>(
            withHistory
              ? QUEUE
              : QUEUE.replace('authorHistory { windowDays warnings suspensions bans }', ''),
            { f: { kind: 'USER_REPORTS' } },
          ),
        )
      ).reviewQueue.edges.map((e) => e.node);
    const items = await page(true);
    expect(items.length).toBeGreaterThanOrEqual(2);
    const histories = new Set(items.map((item) => JSON.stringify(item.authorHistory)));
    expect(histories).toContain(JSON.stringify(none));
    expect(histories).toContain(
      JSON.stringify({ windowDays: 365, warnings: 1, suspensions: 0, bans: 0 }),
    );
    // Two statements for the page's histories, however many items it has.
    const without = await countStatements(env.app, () => page(false));
    const withHistories = await countStatements(env.app, () => page(true));
    expect(withHistories - without).toBeLessThanOrEqual(2);
  });

  it('offers the jurisdictions of the queue for its filter', async () => {
    const queue = await dataOf(moderatorA.gql<Queue>(QUEUE, { f: { jurisdiction: 'ZZ' } }));
    expect(queue.reviewQueue.edges).toEqual([]);
    expect(queue.reviewQueue.jurisdictions.length).toBeGreaterThan(0);
    expect(queue.reviewQueue.jurisdictions).not.toContain('ZZ');
    expect([...queue.reviewQueue.jurisdictions].sort()).toEqual(queue.reviewQueue.jurisdictions);
  });

  it('is for moderators only', async () => {
    const asMember = await author.gql(
      '{ reviewQueue(first: 1) { edges { node { authorHistory { warnings } } } } }',
    );
    expect(asMember.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
