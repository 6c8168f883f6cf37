import { getDataSourceToken } from '@nestjs/typeorm';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { DataSource } from 'typeorm';
import { RetroactiveRunEntity } from '../../../src/compliance/enforcement/content-enforcement.entity';
import { RetroactiveEnforcement } from '../../../src/compliance/enforcement/retroactive-enforcement.service';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { ReviewItemEntity } from '../../../src/moderation/review.entity';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { outboxDrained, retroactiveRunDone } from '../../utils/domain-events';
import { subscriptionCount, waitForSubscriptions } from '../../utils/wait';

const NOTICE = 'jurisdiction ruleName action legalBasis explanation';
const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) {
    thread { id title body status } notices { ${NOTICE} }
  }
}`;
const CREATE_COMMENT = `mutation ($t: ID!, $body: String!) {
  createComment(input: { threadId: $t, body: $body }) { comment { id body status } notices { ${NOTICE} } }
}`;
const THREAD = `query ($id: ID!) {
  thread(id: $id) {
    id title commentCount notices { ${NOTICE} }
    comments(first: 50) { edges { node { id body notices { action } } } }
  }
}`;
const FEED = `{ board(slug: "general") { threads(first: 100) { edges { node { id title } } } } }`;

interface Notice {
  jurisdiction: string;
  ruleName: string;
  action: string;
  legalBasis: string;
  explanation: string;
}
interface Created {
  createThread: {
    thread: { id: string; title: string; body: string; status: string };
    notices: Notice[];
  };
}
interface ThreadView {
  thread: {
    id: string;
    title: string;
    commentCount: number;
    notices: Notice[];
    comments: { edges: Array<{ node: { id: string; body: string } }> };
  } | null;
}
interface FeedView {
  board: { threads: { edges: Array<{ node: { id: string; title: string } }> } } | null;
}

const feedIds = (view: FeedView) => view.board?.threads.edges.map((e) => e.node.id) ?? [];

/** Rules per jurisdiction, published by officer A's draft and officer B's publish. */
const RULES: Record<string, Array<Record<string, unknown>>> = {
  US: [
    {
      name: 'Doxxing',
      matcher: { kind: 'PII', piiKinds: ['email'] },
      action: 'BLOCK',
      legalBasis: 'Terms §4',
      explanation: 'Do not post email addresses.',
    },
    {
      name: 'Threats',
      matcher: { kind: 'KEYWORDS', terms: ['bomb'] },
      action: 'HOLD',
      legalBasis: '18 U.S.C. § 875',
      explanation: 'Threats are reviewed before they appear.',
    },
    {
      name: 'Giveaways',
      matcher: { kind: 'KEYWORDS', terms: ['crypto giveaway'] },
      action: 'FLAG',
      legalBasis: 'Terms §7 (spam)',
      explanation: 'Possible spam.',
    },
    {
      name: 'Insults',
      matcher: { kind: 'KEYWORDS', terms: ['idiot'] },
      action: 'REDACT',
      legalBasis: 'Terms §3',
      explanation: 'Insults are masked.',
    },
  ],
  CN: [
    {
      name: 'Sensitive history',
      matcher: { kind: 'KEYWORDS', terms: ['tiananmen'] },
      action: 'BLOCK',
      legalBasis: 'Cybersecurity Law art. 12',
      explanation: 'Not allowed in China.',
    },
    {
      name: 'Collective action',
      matcher: { kind: 'KEYWORDS', terms: ['walkout'] },
      action: 'HOLD',
      legalBasis: 'Provisions on Ecological Governance art. 6',
      explanation: 'Held in China.',
    },
  ],
};

describe('Compliance enforcement on posts (SPEC §4)', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let author: SignedInClient;
  let readerCN: SignedInClient;
  let readerDE: SignedInClient;
  let boardId: string;
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  const publish = (jurisdiction: string, rules: readonly object[]) =>
    draftRuleSet(officerA, jurisdiction, rules);
  const publishDraft = (id: string, retro = false) => publishRuleSet(officerB, id, retro);
  const post = (title: string, body: string, by = author) =>
    by.gql<Created>(CREATE_THREAD, { b: boardId, t: title, body });

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Globex', slug: 'globex' }, undefined, {
      PUBLIC_READ: 'true',
      TRUSTED_JURISDICTION_HEADER: 'X-Country',
    });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    [officerA, officerB, author, readerCN, readerDE] = await Promise.all([
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
      signUpMember(app, smtp, { jurisdiction: 'CN' }),
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
    ]);
    await grantOfficers(admin, [officerA, officerB]);
    expect(
      (await verifyEmployer(app, smtp, author, 'author@globex.example')).errors,
    ).toBeUndefined();
    boardId = (
      await dataOf(author.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
    ).board.id;
    for (const [jurisdiction, rules] of Object.entries(RULES)) {
      await publishDraft(await publish(jurisdiction, rules));
    }
  });
  afterAll(async () => env.close());

  it('refuses a post a governing jurisdiction blocks, with its notices, and stores nothing', async () => {
    const before = await content().getRepository(ThreadEntity).count();
    const res = await post('contact', 'write to me at jane.doe@example.com');
    expect(res.errors?.[0].extensions?.code).toBe('CONTENT_BLOCKED');
    expect(res.errors?.[0].extensions?.notices).toEqual([
      {
        jurisdiction: 'US',
        ruleName: 'Doxxing',
        action: 'BLOCK',
        legalBasis: 'Terms §4',
        explanation: 'Do not post email addresses.',
      },
    ]);
    expect(await content().getRepository(ThreadEntity).count()).toBe(before);
  });

  it('withholds where another jurisdiction blocks: hidden there everywhere, up elsewhere', async () => {
    const created = await dataOf(post('Remembering Tiananmen', 'what happened in 1989'));
    const id = created.createThread.thread.id;
    expect(created.createThread.thread.status).toBe('PUBLISHED');
    expect(created.createThread.notices).toEqual([
      expect.objectContaining({
        jurisdiction: 'CN',
        ruleName: 'Sensitive history',
        action: 'WITHHOLD',
      }),
    ]);

    // China: absent from the feed and from thread(id), for members and for visitors there.
    expect(feedIds(await dataOf(readerCN.gql<FeedView>(FEED)))).not.toContain(id);
    expect((await dataOf(readerCN.gql<ThreadView>(THREAD, { id }))).thread).toBeNull();
    expect(
      feedIds(await dataOf(env.app.gql<FeedView>(FEED, {}, { 'x-country': 'CN' }))),
    ).not.toContain(id);
    // Elsewhere: there, and only the author sees the notice.
    expect(feedIds(await dataOf(readerDE.gql<FeedView>(FEED)))).toContain(id);
    expect(feedIds(await dataOf(env.app.gql<FeedView>(FEED)))).toContain(id);
    expect((await dataOf(readerDE.gql<ThreadView>(THREAD, { id }))).thread?.notices).toEqual([]);
    expect((await dataOf(author.gql<ThreadView>(THREAD, { id }))).thread?.notices).toEqual([
      expect.objectContaining({
        jurisdiction: 'CN',
        action: 'WITHHOLD',
        legalBasis: 'Cybersecurity Law art. 12',
      }),
    ]);
    // Staff see it too.
    expect((await dataOf(officerA.gql<ThreadView>(THREAD, { id }))).thread?.notices).toHaveLength(
      1,
    );

    // An edit is judged again: without the word, the thread is back in China.
    await dataOf(
      author.gql(
        'mutation ($id: ID!) { editThread(id: $id, title: "Remembering 1989") { thread { id } } }',
        { id },
      ),
    );
    expect(feedIds(await dataOf(readerCN.gql<FeedView>(FEED)))).toContain(id);
    expect((await dataOf(author.gql<ThreadView>(THREAD, { id }))).thread?.notices).toEqual([]);
  });

  it('leaves withheld comments out of lists and counts there', async () => {
    const id = (await dataOf(post('Office move', 'we move in May'))).createThread.thread.id;
    await dataOf(author.gql(CREATE_COMMENT, { t: id, body: 'fine by me' }));
    const withheld = await dataOf(
      author.gql<{ createComment: { comment: { id: string }; notices: Notice[] } }>(
        CREATE_COMMENT,
        {
          t: id,
          body: 'let us organise a walkout',
        },
      ),
    );
    expect(withheld.createComment.notices.map((n) => n.action)).toEqual(['WITHHOLD']);

    const inChina = (await dataOf(readerCN.gql<ThreadView>(THREAD, { id }))).thread!;
    expect(inChina.commentCount).toBe(1);
    expect(inChina.comments.edges.map((e) => e.node.body)).toEqual(['fine by me']);
    const inGermany = (await dataOf(readerDE.gql<ThreadView>(THREAD, { id }))).thread!;
    expect(inGermany.commentCount).toBe(2);
    expect(inGermany.comments.edges).toHaveLength(2);
  });

  it('keeps withheld comments from live subscribers there, visitors included (the proxy’s header on the WebSocket upgrade), but not from their author', async () => {
    const id = (await dataOf(post('Canteen', 'new menu'))).createThread.thread.id;
    const visitorIn = (country: string, token?: string) => {
      // The trusted proxy sets the header on the upgrade request, as on any HTTP request.
      class ThroughProxy extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { 'x-country': country } });
        }
      }
      const client = createClient({
        url: `${env.app.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: ThroughProxy,
        retryAttempts: 0,
        ...(token === undefined ? {} : { connectionParams: { authorization: `Bearer ${token}` } }),
      });
      const events = client.iterate<{ commentAdded: { body: string } }>({
        query: 'subscription ($t: ID!) { commentAdded(threadId: $t) { body } }',
        variables: { t: id },
      });
      return { client, first: events.next() };
    };
    const subscribed = await subscriptionCount(env.app.url, 'comment-added');
    const inChina = visitorIn('CN');
    const inGermany = visitorIn('DE');
    // The comments' author, reading from China too, sees their own withheld comment (as in lists).
    const authorInChina = visitorIn('CN', author.token);
    try {
      await waitForSubscriptions(env.app.url, 'comment-added', subscribed + 3);
      await dataOf(author.gql(CREATE_COMMENT, { t: id, body: 'a walkout at noon' }));
      await dataOf(author.gql(CREATE_COMMENT, { t: id, body: 'soup is back' }));
      // Each stream delivers in order: China's first event is the second comment.
      expect((await inChina.first).value?.data?.commentAdded.body).toBe('soup is back');
      expect((await inGermany.first).value?.data?.commentAdded.body).toBe('a walkout at noon');
      expect((await authorInChina.first).value?.data?.commentAdded.body).toBe('a walkout at noon');
    } finally {
      await inChina.client.dispose();
      await inGermany.client.dispose();
      await authorInChina.client.dispose();
    }
  });

  it('holds, flags and redacts as the governing rules say, and asks for review', async () => {
    const held = await dataOf(post('Warning', 'there is a bomb in the parking lot'));
    expect(held.createThread.thread.status).toBe('HELD');
    expect(held.createThread.notices.map((n) => `${n.jurisdiction} ${n.action}`)).toEqual([
      'US HOLD',
    ]);
    const heldId = held.createThread.thread.id;
    expect(feedIds(await dataOf(readerDE.gql<FeedView>(FEED)))).not.toContain(heldId);
    expect((await dataOf(readerDE.gql<ThreadView>(THREAD, { id: heldId }))).thread).toBeNull();
    expect((await dataOf(author.gql<ThreadView>(THREAD, { id: heldId }))).thread?.id).toBe(heldId);

    const flagged = await dataOf(post('Free coins', 'join the crypto giveaway now'));
    expect(flagged.createThread.thread.status).toBe('PUBLISHED');
    expect(feedIds(await dataOf(readerDE.gql<FeedView>(FEED)))).toContain(
      flagged.createThread.thread.id,
    );

    const redacted = await dataOf(post('Manager', 'my manager is an idiot, honestly'));
    expect(redacted.createThread.thread.body).not.toMatch(/idiot/i);
    expect(redacted.createThread.thread.body).toMatch(/^my manager is an .+, honestly$/);
    expect(redacted.createThread.notices.map((n) => n.action)).toEqual(['REDACT']);

    // The review requests (domain events) become review items once delivered.
    await outboxDrained(env.app.app);
    const items = content().getRepository(ReviewItemEntity);
    expect(await items.findBy({ contentId: heldId })).toEqual([
      expect.objectContaining({ kind: 'RULE_HOLD', contentKind: 'THREAD', status: 'PENDING' }),
    ]);
    expect(await items.findBy({ contentId: flagged.createThread.thread.id })).toEqual([
      expect.objectContaining({ kind: 'RULE_FLAG', contentKind: 'THREAD', status: 'PENDING' }),
    ]);
    expect(await items.findBy({ contentId: redacted.createThread.thread.id })).toEqual([]);
  });

  it('previews a draft’s impact on past posts and applies it retroactively', async () => {
    const overtime = [
      (await dataOf(post('Unpaid overtime', 'every week'))).createThread.thread.id,
      (await dataOf(post('Hours', 'overtime is expected here'))).createThread.thread.id,
    ];
    const draft = await publish('JP', [
      {
        name: 'Labour disputes',
        matcher: { kind: 'KEYWORDS', terms: ['overtime'] },
        action: 'WITHHOLD',
        legalBasis: 'Example Act art. 1',
        explanation: 'Withheld in Japan.',
      },
    ]);
    const PREVIEW = `query ($id: ID!, $since: DateTime!) {
      previewRuleSetImpact(ruleSetId: $id, since: $since) { scanned changed byAction { action count } samples { contentId before after } }
    }`;
    expect(
      (await readerDE.gql(PREVIEW, { id: draft, since: new Date(0).toISOString() })).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    const preview = (
      await dataOf(
        officerB.gql<{
          previewRuleSetImpact: {
            scanned: number;
            changed: number;
            byAction: Array<{ action: string; count: number }>;
            samples: Array<{ contentId: string; before: string; after: string }>;
          };
        }>(PREVIEW, { id: draft, since: new Date(0).toISOString() }),
      )
    ).previewRuleSetImpact;
    const published = await content()
      .getRepository(ThreadEntity)
      .countBy({ status: 'PUBLISHED' as never });
    expect(preview.scanned).toBeGreaterThanOrEqual(published);
    expect(preview.changed).toBe(2);
    expect(preview.byAction).toEqual([{ action: 'WITHHOLD', count: 2 }]);
    expect(preview.samples.map((s) => s.contentId).sort()).toEqual([...overtime].sort());

    const readerJP = await signUpMember(env.app, env.smtp, { jurisdiction: 'JP' });
    expect(feedIds(await dataOf(readerJP.gql<FeedView>(FEED)))).toEqual(
      expect.arrayContaining(overtime),
    );
    await publishDraft(draft, true);
    const run = await retroactiveRunDone(env.app.app, draft);
    expect(run).toMatchObject({ status: 'DONE', changed: 2 });
    const seen = feedIds(await dataOf(readerJP.gql<FeedView>(FEED)));
    for (const id of overtime) expect(seen).not.toContain(id);
    expect(feedIds(await dataOf(readerDE.gql<FeedView>(FEED)))).toEqual(
      expect.arrayContaining(overtime),
    );
  });

  it('resumes a retroactive run from its saved position', async () => {
    const first = (await dataOf(post('Bonus cut', 'the bonus was cut'))).createThread.thread.id;
    const second = (await dataOf(post('Bonus again', 'another bonus cut'))).createThread.thread.id;
    const draft = await publish('KR', [
      {
        name: 'Pay talk',
        matcher: { kind: 'KEYWORDS', terms: ['bonus'] },
        action: 'WITHHOLD',
        legalBasis: 'Example Act art. 2',
        explanation: 'Withheld in Korea.',
      },
    ]);
    await publishDraft(draft, false);
    // A run that stopped after the first post (as if the server died there) ...
    const firstRow = await content().getRepository(ThreadEntity).findOneByOrFail({ id: first });
    await content().getRepository(RetroactiveRunEntity).insert({
      ruleSetId: draft,
      jurisdiction: 'KR',
      status: 'RUNNING',
      phase: 'THREAD',
      afterCreatedAt: firstRow.createdAt,
      afterId: firstRow.id,
      actorHandle: 'Staff Quiet Heron 1234',
      actorRole: 'COMPLIANCE_OFFICER',
      scanned: 1,
      changed: 0,
      startedAt: new Date(),
      finishedAt: null,
    });
    // ... is picked up at start-up and goes on from there.
    const enforcement = env.app.app.get(RetroactiveEnforcement);
    await enforcement.onApplicationBootstrap();
    await enforcement.settled(draft);
    const readerKR = await signUpMember(env.app, env.smtp, { jurisdiction: 'KR' });
    const seen = feedIds(await dataOf(readerKR.gql<FeedView>(FEED)));
    expect(seen).toContain(first);
    expect(seen).not.toContain(second);
    expect(
      await content().getRepository(RetroactiveRunEntity).findOneByOrFail({ ruleSetId: draft }),
    ).toMatchObject({
      status: 'DONE',
    });
  });
});
