import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import { dumpStore, tableName } from '../../utils/store-dump';
import { outboxDrained } from '../../utils/domain-events';
import { subscriptionCount, waitFor, waitForSubscriptions } from '../../utils/wait';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const ITEM = `id kind status priority version claimedByViewer claimExpiresAt
  reasons { kind summary reportReason count }
  history { action actorHandle note }
  content { __typename ... on Comment { id body status } ... on Thread { id title status } }`;
const QUEUE = `query ($f: ReviewQueueFilter) { reviewQueue(filter: $f, first: 50) { edges { node { ${ITEM} } } } }`;
const CLAIM = `mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { ${ITEM} } }`;
const DECIDE = `mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { ${ITEM} } }`;
const REPORT = 'mutation ($c: ID!, $r: ReportReason!) { report(contentId: $c, reason: $r) }';
const NOTIFICATIONS = '{ notifications { kind message contentId read } }';
const QUEUE_TOPIC = 'review-queue-changed';

interface Item {
  id: string;
  kind: string;
  status: string;
  version: number;
  claimedByViewer: boolean;
  reasons: Array<{ kind: string; reportReason: string | null; count: number }>;
  history: Array<{ action: string; actorHandle: string | null; note: string | null }>;
  content: { __typename: string; id: string; status: string };
}
interface Queue {
  reviewQueue: { edges: Array<{ node: Item }> };
}
interface Notification {
  kind: string;
  message: string;
  contentId: string | null;
}

describe('Moderation: reports, claims, decisions, sanctions, appeals (SPEC §5)', () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let reporters: SignedInClient[];
  let moderatorA: SignedInClient;
  let moderatorB: SignedInClient;
  let boardId: string;
  let threadId: string;
  const clients: Client[] = [];

  const queue = async (moderator: SignedInClient, filter: Record<string, unknown> = {}) =>
    (await dataOf(moderator.gql<Queue>(QUEUE, { f: filter }))).reviewQueue.edges.map((e) => e.node);
  const itemFor = async (moderator: SignedInClient, contentId: string, kind: string) =>
    (await queue(moderator, { kind })).find((item) => item.content.id === contentId);
  const createThread = (client: SignedInClient, title: string) =>
    client.gql<{ createThread: { thread: { id: string } } }>(
      'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } } }',
      { b: boardId, t: title },
    );
  const comment = async (body: string) =>
    (
      await dataOf(
        author.gql<{ createComment: { comment: { id: string } } }>(
          'mutation ($t: ID!, $b: String!) { createComment(input: { threadId: $t, body: $b }) { comment { id } } }',
          { t: threadId, b: body },
        ),
      )
    ).createComment.comment.id;

  beforeAll(async () => {
    // Many sign-ups from one test address: lift the per-address code and auth budgets.
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      EMAIL_CODES_PER_IP_PER_HOUR: '500',
      AUTH_RATE_LIMIT_MAX: '1000',
    });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    const people = await Promise.all(Array.from({ length: 6 }, () => signUpMember(app, smtp)));
    [author, moderatorA, moderatorB] = people;
    reporters = people.slice(3);
    for (const moderator of [moderatorA, moderatorB]) {
      await dataOf(
        admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
          e: moderator.email,
        }),
      );
    }
    expect(
      (await verifyEmployer(app, smtp, author, 'milton@initech.example')).errors,
    ).toBeUndefined();
    boardId = (
      await dataOf(author.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
    ).board.id;
    threadId = (await dataOf(createThread(author, 'Red staplers'))).createThread.thread.id;
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await env.close();
  });

  it('runs the whole loop: reports, claim, rejection with suspension, appeal to another moderator', async () => {
    const commentId = await comment('Everyone on floor 3 is an idiot');

    // Live: moderator B follows the queue.
    const ws = createClient({
      url: `${env.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${moderatorB.token}` },
      retryAttempts: 0,
    });
    clients.push(ws);
    const subscribed = await subscriptionCount(env.app.url, QUEUE_TOPIC);
    const live = ws.iterate<{ reviewQueueChanged: { id: string; kind: string } }>({
      query: 'subscription { reviewQueueChanged { id kind status } }',
    });
    const firstEvent = live.next();
    await waitForSubscriptions(env.app.url, QUEUE_TOPIC, subscribed + 1);

    // Two reports stay under the threshold (3 for new reporters); the third queues the item.
    await dataOf(reporters[0].gql(REPORT, { c: commentId, r: 'HARASSMENT' }));
    await dataOf(reporters[1].gql(REPORT, { c: commentId, r: 'HARASSMENT' }));
    await dataOf(reporters[1].gql(REPORT, { c: commentId, r: 'HARASSMENT' })); // once per person
    expect(await itemFor(moderatorA, commentId, 'USER_REPORTS')).toBeUndefined();
    await dataOf(reporters[2].gql(REPORT, { c: commentId, r: 'HATE' }));
    const queued = (await itemFor(moderatorA, commentId, 'USER_REPORTS'))!;
    expect(queued.reasons).toEqual([
      expect.objectContaining({ reportReason: 'HARASSMENT', count: 2 }),
      expect.objectContaining({ reportReason: 'HATE', count: 1 }),
    ]);
    expect((await firstEvent).value).toMatchObject({
      data: { reviewQueueChanged: { id: queued.id, kind: 'USER_REPORTS' } },
    });

    // A claims; B is refused while the claim holds; a stale version is refused too.
    const claimed = (
      await dataOf(
        moderatorA.gql<{ claimReviewItem: Item }>(CLAIM, { id: queued.id, v: queued.version }),
      )
    ).claimReviewItem;
    expect(claimed.claimedByViewer).toBe(true);
    const second = await moderatorB.gql(CLAIM, { id: queued.id, v: claimed.version });
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'CLAIMED' });
    const stale = await moderatorA.gql(DECIDE, {
      input: {
        id: queued.id,
        version: queued.version,
        decision: 'REJECT',
        reasonCode: 'harassment',
      },
    });
    expect(stale.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'STALE_VERSION',
    });

    // A rejects with a reason code, a note and a 7-day suspension.
    const decided = (
      await dataOf(
        moderatorA.gql<{ decideReviewItem: Item }>(DECIDE, {
          input: {
            id: queued.id,
            version: claimed.version,
            decision: 'REJECT',
            reasonCode: 'harassment',
            note: 'Insulting colleagues is not allowed.',
            sanction: { kind: 'SUSPENSION', days: 7 },
          },
        }),
      )
    ).decideReviewItem;
    expect(decided).toMatchObject({
      status: 'REJECTED',
      content: { id: commentId, status: 'REMOVED' },
    });
    expect(decided.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['reported', 'claimed', 'decided: REJECT']),
    );
    expect(await itemFor(moderatorA, commentId, 'USER_REPORTS')).toBeUndefined();

    // The author is told why, and cannot post until the end date (once the decision's
    // effects have gone out in their batch: here at once, as the test env does not hold them).
    await outboxDrained(env.app.app);
    const told = (await dataOf(author.gql<{ notifications: Notification[] }>(NOTIFICATIONS)))
      .notifications;
    const decision = told.find((n) => n.kind === 'CONTENT_DECISION' && n.contentId === commentId)!;
    expect(decision.message).toMatch(/Harassment/);
    expect(decision.message).toMatch(/Insulting colleagues is not allowed\./);
    expect(decision.message).toMatch(/suspended from posting until \d{4}-\d{2}-\d{2}T/);
    const refused = await createThread(author, 'Still here');
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SUSPENDED',
    });
    const until = new Date(String(refused.errors?.[0].extensions?.until));
    expect(until.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    // The reporters learn the outcome.
    for (const reporter of reporters) {
      const theirs = (await dataOf(reporter.gql<{ notifications: Notification[] }>(NOTIFICATIONS)))
        .notifications;
      expect(theirs).toEqual([
        expect.objectContaining({ kind: 'REPORT_OUTCOME', contentId: commentId }),
      ]);
      expect(theirs[0].message).toMatch(/removed/);
    }

    // The author appeals, once; the deciding moderator cannot take it, another one can.
    await dataOf(
      author.gql(
        'mutation ($c: ID!) { appeal(contentId: $c, statement: "It was a joke among friends.") }',
        { c: commentId },
      ),
    );
    const again = await author.gql(
      'mutation ($c: ID!) { appeal(contentId: $c, statement: "Please.") }',
      { c: commentId },
    );
    expect(again.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_APPEALED',
    });
    expect(
      (
        await reporters[0].gql('mutation ($c: ID!) { appeal(contentId: $c, statement: "x") }', {
          c: commentId,
        })
      ).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
    const appealItem = (await itemFor(moderatorB, commentId, 'APPEAL'))!;
    expect(appealItem.reasons[0]).toMatchObject({ kind: 'APPEAL' });
    expect(
      (await moderatorA.gql(CLAIM, { id: appealItem.id, v: appealItem.version })).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    const appealClaim = (
      await dataOf(
        moderatorB.gql<{ claimReviewItem: Item }>(CLAIM, {
          id: appealItem.id,
          v: appealItem.version,
        }),
      )
    ).claimReviewItem;
    const upheld = (
      await dataOf(
        moderatorB.gql<{ decideReviewItem: Item }>(DECIDE, {
          input: {
            id: appealItem.id,
            version: appealClaim.version,
            decision: 'APPROVE',
            note: 'Fair enough.',
          },
        }),
      )
    ).decideReviewItem;
    expect(upheld).toMatchObject({
      status: 'APPROVED',
      content: { id: commentId, status: 'PUBLISHED' },
    });

    // The post is back and the suspension is over.
    await outboxDrained(env.app.app);
    expect((await createThread(author, 'Back again')).errors).toBeUndefined();
    const after = (await dataOf(author.gql<{ notifications: Notification[] }>(NOTIFICATIONS)))
      .notifications;
    expect(
      after.some((n) => n.kind === 'APPEAL_OUTCOME' && /appeal was upheld/.test(n.message)),
    ).toBe(true);
  });

  it('audits every decision, sanction and appeal once', async () => {
    const count = async (action: string) =>
      (
        await dataOf(
          env.admin.gql<{ auditLog: { edges: Array<{ node: { actorRole: string } }> } }>(
            'query ($a: String) { auditLog(first: 100, action: $a) { edges { node { actorRole } } } }',
            { a: action },
          ),
        )
      ).auditLog.edges.map((e) => e.node.actorRole);
    expect(await count('review.decide')).toEqual(['MODERATOR', 'MODERATOR']);
    expect(await count('sanction.apply')).toEqual(['MODERATOR']);
    expect(await count('sanction.lift')).toEqual(['MODERATOR']);
    expect(await count('review.appeal')).toEqual(['MEMBER']);
    expect(
      (
        await dataOf(
          env.admin.gql<{ verifyAuditLog: { ok: boolean } }>('{ verifyAuditLog { ok } }'),
        )
      ).verifyAuditLog.ok,
    ).toBe(true);
  });

  it('hides content above the second threshold and restores it when the reports are ignored', async () => {
    const commentId = await comment('A perfectly fine comment');
    const extra = await Promise.all(
      Array.from({ length: 3 }, () => signUpMember(env.app, env.smtp)),
    );
    // The three earlier reporters were upheld once: each now weighs more than a new reporter.
    for (const reporter of [...reporters, ...extra]) {
      await dataOf(reporter.gql(REPORT, { c: commentId, r: 'SPAM' }));
    }
    const item = (await itemFor(moderatorA, commentId, 'USER_REPORTS'))!;
    expect(item.content.status).toBe('HELD');
    expect(item.history.map((h) => h.action)).toContain('hidden');
    const ignored = (
      await dataOf(
        moderatorA.gql<{ decideReviewItem: Item }>(DECIDE, {
          input: { id: item.id, version: item.version, decision: 'IGNORE' },
        }),
      )
    ).decideReviewItem;
    expect(ignored).toMatchObject({ status: 'IGNORED', content: { status: 'PUBLISHED' } });

    // A new report reopens the same item.
    const late = await signUpMember(env.app, env.smtp);
    await dataOf(late.gql(REPORT, { c: commentId, r: 'OTHER' }));
    const rows = (await queue(moderatorA, { status: 'PENDING', kind: 'USER_REPORTS' })).filter(
      (i) => i.content.id === commentId,
    );
    const reopened = await dataOf(
      moderatorA.gql<{ reviewItem: Item }>(`query ($id: ID!) { reviewItem(id: $id) { ${ITEM} } }`, {
        id: item.id,
      }),
    );
    expect(reopened.reviewItem).toMatchObject({ id: item.id, status: 'PENDING' });
    expect(rows.every((row) => row.id === item.id)).toBe(true);
  });

  it('keeps the queue to moderators, and reporting to readers of the post', async () => {
    expect((await author.gql(QUEUE, {})).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await env.app.gql(QUEUE, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const own = await author.gql(REPORT, { c: threadId, r: 'SPAM' });
    expect(own.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await reporters[0].gql(REPORT, {
      c: '00000000-0000-4000-8000-000000000000',
      r: 'SPAM',
    });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const codes = await dataOf(
      moderatorA.gql<{ reasonCodes: Array<{ code: string }> }>(
        '{ reasonCodes { code category label } }',
      ),
    );
    expect(codes.reasonCodes.map((c) => c.code)).toContain('harassment');
    const badCode = await moderatorA.gql(DECIDE, {
      input: {
        id: '00000000-0000-4000-8000-000000000000',
        version: 1,
        decision: 'REJECT',
        reasonCode: 'nope',
      },
    });
    expect(badCode.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('leaves no account id or email in the content store (reports, items, history)', async () => {
    const identity = env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    const accountIds = (
      await identity.query<Array<{ id: string }>>(
        `SELECT id FROM ${tableName(identity, identity.getMetadata('accounts').tablePath)}`,
      )
    ).map((row) => row.id.toLowerCase());
    expect(accountIds.length).toBeGreaterThan(8);
    const dump = await dumpStore(env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE)));
    expect(dump).toContain('harassment'); // the reports and decisions are there
    for (const secret of [...accountIds, author.email, ...reporters.map((r) => r.email)]) {
      expect(dump).not.toContain(secret.toLowerCase());
    }
  });

  it('stops sending queue changes to a moderator who signed out', async () => {
    const leaving = await signUpMember(env.app, env.smtp);
    await dataOf(
      env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: leaving.email,
      }),
    );
    const subscribe = (token: string) => {
      const ws = createClient({
        url: `${env.app.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      clients.push(ws);
      return ws.iterate<{ reviewQueueChanged: { id: string } }>({
        query: 'subscription { reviewQueueChanged { id } }',
      });
    };
    const subscribed = await subscriptionCount(env.app.url, QUEUE_TOPIC);
    const staying = subscribe(moderatorA.token).next();
    const gone = subscribe(leaving.token);
    const goneFirst = gone.next();
    await waitForSubscriptions(env.app.url, QUEUE_TOPIC, subscribed + 2);
    await dataOf(leaving.gql('mutation { signOut }'));

    const commentId = await comment('Reported right after a sign-out');
    for (const reporter of reporters)
      await dataOf(reporter.gql(REPORT, { c: commentId, r: 'SPAM' }));
    expect((await staying).value).toMatchObject({
      data: { reviewQueueChanged: { id: expect.any(String) } },
    });
    // The signed-out moderator's stream gets no item: it is told why and ends.
    const told = (await goneFirst).value as FormattedExecutionResult | undefined;
    expect(told?.data ?? null).toBeNull();
    expect(told?.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await gone.next()).done).toBe(true);
    await waitFor(
      'the ended stream to leave the queue topic',
      async () => (await subscriptionCount(env.app.url, QUEUE_TOPIC)) === subscribed + 1,
    );
  });

  it('makes exactly one review item of 20 simultaneous reports', async () => {
    const target = (await dataOf(createThread(author, 'Popular opinion'))).createThread.thread.id;
    // Signed up one after another (the password hasher's queue is bounded), then all at once.
    const crowd: SignedInClient[] = [];
    for (let i = 0; i < 20; i++) crowd.push(await signUpMember(env.app, env.smtp));
    const answers = await Promise.all(
      crowd.map((member) => member.gql(REPORT, { c: target, r: 'SPAM' })),
    );
    // Once the reports pass REPORT_HIDE_THRESHOLD the post is hidden, and a report that
    // arrives after that cannot see it any more (NOT_FOUND); every other one is counted.
    const accepted = answers.filter((a) => a.errors === undefined).length;
    expect(
      answers.filter((a) => a.errors !== undefined).map((a) => a.errors?.[0].extensions?.code),
    ).toEqual(Array(20 - accepted).fill('NOT_FOUND'));
    expect(accepted).toBeGreaterThanOrEqual(6);
    const items = (await queue(moderatorA, { kind: 'USER_REPORTS' })).filter(
      (i) => i.content.id === target,
    );
    expect(items).toHaveLength(1);
    expect(items[0].content.status).toBe('HELD');
    expect(items[0].reasons).toEqual([
      expect.objectContaining({ reportReason: 'SPAM', count: accepted }),
    ]);
  });

  it('pages the queue with opaque cursors bound to their order', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await comment(`Paged in the queue ${i}`);
      // Three new reporters reach the threshold.
      for (const reporter of reporters) await dataOf(reporter.gql(REPORT, { c: id, r: 'SPAM' }));
    }
    const PAGE = `query ($first: Int!, $after: String, $order: ReviewQueueOrder) {
      reviewQueue(first: $first, after: $after, order: $order) {
        edges { cursor node { id priority } } pageInfo { hasNextPage endCursor } } }`;
    interface Page {
      reviewQueue: {
        edges: Array<{ cursor: string; node: { id: string; priority: number } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }
    for (const order of ['PRIORITY', 'OLDEST']) {
      const whole = (
        await dataOf(moderatorA.gql<Page>(PAGE, { first: 100, order }))
      ).reviewQueue.edges.map((e) => e.node.id);
      expect(whole.length).toBeGreaterThanOrEqual(3);
      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Page = await dataOf(moderatorA.gql<Page>(PAGE, { first: 2, after, order }));
        for (const edge of page.reviewQueue.edges) {
          paged.push(edge.node.id);
          const inside = Buffer.from(edge.cursor, 'base64url').toString('latin1');
          expect(inside).not.toContain(edge.node.id);
          expect(inside).not.toContain(order);
          expect(inside).not.toMatch(/\d{5,}/);
        }
        if (!page.reviewQueue.pageInfo.hasNextPage) break;
        after = page.reviewQueue.pageInfo.endCursor;
      }
      expect(paged).toEqual(whole);
    }
    const first: Page = await dataOf(moderatorA.gql<Page>(PAGE, { first: 1, order: 'OLDEST' }));
    const cursor = first.reviewQueue.pageInfo.endCursor!;
    const middle = Math.floor(cursor.length / 2);
    const tampered = `${cursor.slice(0, middle)}${cursor[middle] === 'A' ? 'B' : 'A'}${cursor.slice(middle + 1)}`;
    for (const [after, order] of [
      [tampered, 'OLDEST'],
      [cursor, 'PRIORITY'],
    ]) {
      const res = await moderatorA.gql(PAGE, { first: 1, after, order });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
