import { randomBytes } from 'node:crypto';
import { outboxDrained } from '../../utils/domain-events';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { TestApp } from '../../utils/test-app';
import {
  EMAIL_PATTERN,
  IP_PATTERN,
  type KnownPerson,
  leaks,
  type PersonSecrets,
  personSecrets,
  type RecordedAnswer,
  recordAnswers,
  selectAll,
  selectRoot,
} from './anonymity-support';
import { subscriptionCount, waitFor, waitForSubscriptions } from '../../utils/wait';

/**
 * The deanonymisation suite (SPEC §2.8–2.9, project issue 9), dynamic side: a realistic
 * scenario — sign-ups, employer verification, rule sets, posts and replies on a public and a
 * company board, votes, reports, a held post, a removal with a suspension, notifications, an
 * appeal, a deleted account — then everything a visitor, a member, a moderator, a compliance
 * officer and an admin can read, each with a "select every field" query generated from the
 * schema. Every answer, every error and every log line (captured in-process at `trace`) is
 * then searched for what identifies a person: account ids, seal ids, email addresses and
 * local parts, blind indexes, password and session hashes, session tokens of others, the
 * content store's author tokens, sealed references, vote and report tokens, staff tokens and
 * sanction handles (read from the stores, so the test knows exactly what to look for), and,
 * in logs, client addresses. The static side is schema-exposure.e2e-spec.ts.
 */

/**
 * Every line the server logs, captured in this process: pino is created with a destination
 * that keeps the lines (the app's own `pino(options)` call gets it as its stream), from the
 * first line of start-up on.
 */
const mockLogLines: string[] = [];
jest.mock('pino', () =>
  jest
    .requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
    .capturingPino((line) => mockLogLines.push(line)),
);

const tag = randomBytes(3).toString('hex');
const emailOf = (name: string) => `${name}.${tag}@example.org`;

interface Person extends SignedInClient {
  name: string;
  accountId: string;
  workEmails: string[];
}

describe('Deanonymisation: answers, errors and logs after a realistic scenario', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let schema: GraphQLSchema;
  let answers: RecordedAnswer[];
  const people = new Map<string, Person>();
  const tokenOwner = new Map<string, string>(); // session token → account id
  const addresses = new Map<string, string>(); // token → the client address it speaks from
  const ids = { threads: [] as string[], comments: [] as string[], items: [] as string[] };
  const subscriptionPayloads: string[] = [];
  const wsClients: Client[] = [];
  let secrets: PersonSecrets;
  let ruleSetIds: string[] = [];

  const addressOf = (token?: string): string => {
    if (token === undefined) return '203.0.113.250';
    let address = addresses.get(token);
    if (address === undefined) {
      address = `198.51.100.${addresses.size + 10}`;
      addresses.set(token, address);
    }
    return address;
  };
  const person = (name: string): Person => {
    const found = people.get(name);
    if (found === undefined) throw new Error(`no ${name}`);
    return found;
  };
  const signUp = async (name: string, jurisdiction = 'US'): Promise<Person> => {
    const client = await signUpMember(sut, env.smtp, { email: emailOf(name), jurisdiction });
    const principal = await sut.app.get(SessionsService).resolve(client.token);
    if (principal === null) throw new Error('no principal');
    const created: Person = { ...client, name, accountId: principal.accountId, workEmails: [] };
    people.set(name, created);
    tokenOwner.set(client.token, principal.accountId);
    return created;
  };
  const verify = async (who: Person) => {
    const work = `${who.name}.w${tag}@initech.example`;
    who.workEmails.push(work);
    expect((await verifyEmployer(sut, env.smtp, who, work)).errors).toBeUndefined();
  };
  const grant = (who: Person, role: string) =>
    dataOf(
      env.admin.gql('mutation ($e: String!, $r: Role!) { grantRole(email: $e, role: $r) }', {
        e: who.email,
        r: role,
      }),
    );
  const post = async (who: Person, boardId: string, title: string, body: string, extra = {}) => {
    const { createThread } = await dataOf(
      who.gql<{ createThread: { thread: { id: string } } }>(
        'mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id } notices { action } } }',
        { i: { boardId, title, body, ...extra } },
      ),
    );
    ids.threads.push(createThread.thread.id);
    return createThread.thread.id;
  };
  const reply = async (who: Person, threadId: string, body: string, parentId?: string) => {
    const { createComment } = await dataOf(
      who.gql<{ createComment: { comment: { id: string } } }>(
        'mutation ($i: CreateCommentInput!) { createComment(input: $i) { comment { id author { handle } } } }',
        { i: { threadId, body, parentId } },
      ),
    );
    ids.comments.push(createComment.comment.id);
    return createComment.comment.id;
  };
  const queueItem = async (moderator: Person, contentId: string, kind: string) => {
    const { reviewQueue } = await dataOf(
      moderator.gql<{
        reviewQueue: {
          edges: Array<{ node: { id: string; version: number; content: { id: string } } }>;
        };
      }>(
        'query ($f: ReviewQueueFilter) { reviewQueue(filter: $f, first: 100) { edges { node { id version content { ... on Thread { id } ... on Comment { id } } } } } }',
        { f: { kind } },
      ),
    );
    const item = reviewQueue.edges.map((e) => e.node).find((n) => n.content.id === contentId);
    if (item === undefined) throw new Error(`no ${kind} item for ${contentId}`);
    ids.items.push(item.id);
    return item;
  };
  const decide = (moderator: Person, input: Record<string, unknown>) =>
    dataOf(
      moderator.gql(
        'mutation ($i: DecideReviewItemInput!) { decideReviewItem(input: $i) { id status } }',
        { i: input },
      ),
    );
  const claimAndDecide = async (
    moderator: Person,
    item: { id: string; version: number },
    input: object,
  ) => {
    const { claimReviewItem } = await dataOf(
      moderator.gql<{ claimReviewItem: { version: number } }>(
        'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { version } }',
        { id: item.id, v: item.version },
      ),
    );
    await decide(moderator, { id: item.id, version: claimReviewItem.version, ...input });
  };
  const subscribe = (who: Person, query: string, variables: Record<string, unknown> = {}) => {
    const client = createClient({
      url: `${sut.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${who.token}` },
      retryAttempts: 0,
    });
    wsClients.push(client);
    client.subscribe(
      { query, variables },
      {
        next: (value) => subscriptionPayloads.push(JSON.stringify(value)),
        error: (error) => subscriptionPayloads.push(JSON.stringify({ error })),
        complete: () => undefined,
      },
    );
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, emailOf('root.admin'), {
      LOG_LEVEL: 'trace',
      TRUST_PROXY: 'loopback',
      PUBLIC_READ: 'true',
      EMAIL_CODES_PER_IP_PER_HOUR: '1000',
      AUTH_RATE_LIMIT_MAX: '1000',
      COMPANY_BOARD_MIN_MEMBERS: '2',
      K_ANONYMITY_MIN: '2',
      // "Select everything" queries are large on purpose.
      GRAPHQL_MAX_COST: '1000000',
      GRAPHQL_MAX_TOKENS: '100000',
      GRAPHQL_MAX_DEPTH: '40',
      GRAPHQL_MAX_ALIASES: '100',
    });
    sut = env.app;
    schema = sut.app.get(GraphQLSchemaHost).schema;
    answers = recordAnswers(sut, addressOf);
    const adminPrincipal = await sut.app.get(SessionsService).resolve(env.admin.token);
    people.set('admin', {
      ...env.admin,
      name: 'root.admin',
      accountId: adminPrincipal!.accountId,
      workEmails: [],
    });
    tokenOwner.set(env.admin.token, adminPrincipal!.accountId);

    // People: two officers, three moderators, authors (one governed by CN), reporters.
    for (const name of ['officer.a', 'officer.b', 'mod.a', 'mod.b', 'mod.c', 'alice', 'bob'])
      await signUp(name);
    await signUp('chen', 'CN');
    for (const name of ['carol', 'dave', 'erin', 'frank']) await signUp(name);
    await grantOfficers(env.admin, [person('officer.a'), person('officer.b')]);
    for (const name of ['mod.a', 'mod.b', 'mod.c']) await grant(person(name), 'MODERATOR');
    // Posting and voting on public boards need a verified employer.
    for (const name of ['alice', 'bob', 'carol', 'chen', 'dave', 'erin', 'mod.c'])
      await verify(person(name));
    const companyId = (
      await dataOf(env.admin.gql<{ companies: Array<{ id: string }> }>('{ companies { id } }'))
    ).companies[0].id;
    await dataOf(
      env.admin.gql('mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }', {
        e: person('mod.c').email,
        c: companyId,
      }),
    );

    // Rule sets: a US flag, a CN hold (four eyes: one officer drafts, the other publishes).
    const keyword = (name: string, term: string, action: string) => ({
      name,
      matcher: { kind: 'KEYWORDS', terms: [term] },
      action,
      legalBasis: `${name} law`,
      explanation: `${name}: ${action.toLowerCase()}.`,
    });
    ruleSetIds = [
      await draftRuleSet(person('officer.a'), 'US', [keyword('Giveaways', 'giveaway', 'FLAG')]),
      await draftRuleSet(person('officer.a'), 'CN', [
        keyword('Collective action', 'walkout', 'HOLD'),
      ]),
    ];
    for (const id of ruleSetIds) await publishRuleSet(person('officer.b'), id);

    // Posts, replies, votes on the public board and the company board.
    const general = await createGeneralBoard(env.admin);
    // Listing the boards opens the company board (two verified members).
    const companyBoard = (
      await dataOf(
        person('alice').gql<{ boards: Array<{ id: string; slug: string }> }>(
          '{ boards { id slug } }',
        ),
      )
    ).boards.find((b) => b.slug === 'company-initech');
    if (companyBoard === undefined) throw new Error('the company board did not open');
    const queueSubscribed = await subscriptionCount(sut.url, 'review-queue-changed');
    const commentsSubscribed = await subscriptionCount(sut.url, 'comment-added');
    subscribe(
      person('mod.b'),
      `subscription { reviewQueueChanged ${selectRoot(schema, 'Subscription', 'reviewQueueChanged')} }`,
    );
    const lunch = await post(person('alice'), general, 'Lunch', 'The canteen is great', {
      disclosure: 'COMPANY',
      clientMutationId: `lunch-${tag}`,
    });
    subscribe(
      person('carol'),
      `subscription ($t: ID!) { commentAdded(threadId: $t) ${selectAll(schema, schema.getType('Comment')!)} }`,
      { t: lunch },
    );
    await waitForSubscriptions(sut.url, 'review-queue-changed', queueSubscribed + 1);
    await waitForSubscriptions(sut.url, 'comment-added', commentsSubscribed + 1);
    const first = await reply(person('bob'), lunch, 'Is it really?');
    await reply(person('alice'), lunch, 'Yes, really.', first);
    const rude = await reply(person('bob'), lunch, 'Everyone in accounting is an idiot');
    const inside = await post(person('bob'), companyBoard.id, 'Reorg', 'Heard about the reorg?', {
      disclosure: 'INDUSTRY',
    });
    await reply(person('chen'), inside, 'Yes, in March.');
    const giveaway = await post(person('alice'), general, 'Free stuff', 'join the giveaway now');
    const walkout = await post(person('chen'), general, 'Friday', 'walkout on friday');
    const doomed = await post(person('alice'), general, 'Oops', 'wrong board');
    await dataOf(
      person('alice').gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: doomed }),
    );
    await dataOf(
      person('alice').gql(
        'mutation ($id: ID!) { editThread(id: $id, body: "The canteen is great!") { thread { id } } }',
        {
          id: lunch,
        },
      ),
    );
    for (const [name, target, value] of [
      ['carol', lunch, 1],
      ['dave', lunch, 1],
      ['erin', lunch, -1],
      ['alice', first, 1],
      ['carol', rude, -1],
    ] as const)
      await dataOf(
        person(name).gql('mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }', {
          c: target,
          v: value,
        }),
      );

    // Reports queue the rude comment; a moderator removes it and suspends its author. The
    // rules' review requests reach the queue through the outbox: wait for their delivery.
    await outboxDrained(env.app.app);
    for (const name of ['carol', 'dave', 'erin'])
      await dataOf(
        person(name).gql(
          'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT, details: "rude") }',
          {
            c: rude,
          },
        ),
      );
    await claimAndDecide(person('mod.a'), await queueItem(person('mod.a'), rude, 'USER_REPORTS'), {
      decision: 'REJECT',
      reasonCode: 'harassment',
      note: 'No insults, please.',
      sanction: { kind: 'SUSPENSION', days: 3 },
    });
    // The held CN post is approved; the flagged one ignored.
    await claimAndDecide(person('mod.a'), await queueItem(person('mod.a'), walkout, 'RULE_HOLD'), {
      decision: 'APPROVE',
    });
    const flagged = await queueItem(person('mod.a'), giveaway, 'RULE_FLAG');
    await decide(person('mod.a'), { id: flagged.id, version: flagged.version, decision: 'IGNORE' });
    // The author appeals; another moderator restores the comment and lifts the suspension.
    await dataOf(
      person('bob').gql(
        'mutation ($c: ID!) { appeal(contentId: $c, statement: "It was a joke.") }',
        {
          c: rude,
        },
      ),
    );
    await claimAndDecide(person('mod.b'), await queueItem(person('mod.b'), rude, 'APPEAL'), {
      decision: 'APPROVE',
      note: 'Fair enough.',
    });
    await outboxDrained(env.app.app);
    const bobsNotes = await dataOf(
      person('bob').gql<{ notifications: Array<{ id: string }> }>('{ notifications { id } }'),
    );
    await dataOf(
      person('bob').gql('mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }', {
        ids: bobsNotes.notifications.map((n) => n.id),
      }),
    );

    // Mistakes and refusals, whose messages are checked too.
    const visitor = (query: string, variables?: Record<string, unknown>) =>
      sut.gql(query, variables);
    await visitor(
      'mutation ($e: String!) { signIn(email: $e, password: "wrong password here") { token } }',
      {
        e: person('alice').email,
      },
    );
    await visitor(
      'mutation ($e: String!) { signIn(email: $e, password: "wrong password here") { token } }',
      {
        e: emailOf('nobody'),
      },
    );
    await visitor('mutation { signIn(email: "not an address", password: "x") { token } }');
    await visitor('mutation ($e: String!) { requestEmailCode(email: $e) }', {
      e: 'broken@@example',
    });
    await visitor(
      'mutation ($e: String!) { signUp(email: $e, code: "123456", password: "long enough password", jurisdiction: "US") { token } }',
      { e: person('bob').email },
    );
    await visitor('{ reviewQueue(first: 5) { edges { cursor } } }');
    await sut.gql('{ viewer { roles } }', undefined, { authorization: `Bearer ${'x'.repeat(43)}` });
    await person('dave').gql('{ reviewQueue(first: 5) { edges { cursor } } }');
    await person('dave').gql('{ auditLog(first: 5) { edges { cursor } } }');
    await person('dave').gql('mutation ($e: String!) { grantRole(email: $e, role: ADMIN) }', {
      e: person('dave').email,
    });
    await env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
      e: emailOf('nobody'),
    });
    await env.admin.gql('mutation ($e: String!) { scopeModerator(email: $e, companyId: null) }', {
      e: emailOf('nobody'),
    });
    await person('frank').gql(
      'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status } }',
      {
        e: `frank.${tag}@gmail.com`,
        c: '123456',
      },
    );
    await person('frank').gql(
      'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status } }',
      {
        e: person('alice').workEmails[0],
        c: '123456',
      },
    );
    await person('bob').gql('mutation ($c: ID!) { appeal(contentId: $c, statement: "Again.") }', {
      c: rude,
    });
    await person('alice').gql('mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }', {
      c: lunch,
    });
    await person('carol').gql('mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }', {
      c: rude,
    });
    await person('carol').gql(
      'mutation ($id: ID!) { editThread(id: $id, body: "mine now") { thread { id } } }',
      {
        id: lunch,
      },
    );
    await person('frank').gql(
      'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "t", body: "b" }) { thread { id } } }',
      {
        b: companyBoard.id,
      },
    );
    await person('dave').gql(
      'mutation { vote(contentId: "00000000-0000-4000-8000-000000000000", value: 1) }',
    );
    await person('erin').gql('mutation { deleteAccount(password: "not my password") }');

    // Erin leaves (her report and vote stay); Frank signs out.
    await dataOf(
      person('erin').gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
        p: person('erin').password,
      }),
    );
    await dataOf(person('frank').gql('mutation { signOut }'));
    // A last reply, flagged by a rule: once both subscribers have it, every earlier event has
    // reached them too (each stream delivers in order).
    const lastWord = 'One last giveaway.';
    await reply(person('bob'), lunch, lastWord);
    await waitFor(
      'the last reply to reach both subscribers',
      () => subscriptionPayloads.filter((payload) => payload.includes(lastWord)).length >= 2,
    );

    // Everything each role can read.
    const roots: Array<[string, Record<string, unknown>?]> = [
      ['viewer'],
      ['serverInfo'],
      ['boards'],
      ['companies'],
      ['jurisdictions'],
      ['notifications'],
      ['reasonCodes'],
      ['companyRequests'],
      ['verifyAuditLog'],
    ];
    type Read = [(depth: number) => string, Record<string, unknown>];
    const query = (field: string, args: string, vars: string) => (depth: number) =>
      `query ${vars} { ${field}${args} ${selectRoot(schema, 'Query', field, depth)} }`;
    const reads: Read[] = [
      ...roots.map(([field]): Read => [query(field, '', ''), {}]),
      ...['general', 'company-initech'].map((slug): Read => [
        query('board', '(slug: $s)', '($s: String!)'),
        { s: slug },
      ]),
      ...ids.threads.map((id): Read => [query('thread', '(id: $id)', '($id: ID!)'), { id }]),
      ...['PENDING', 'APPROVED', 'REJECTED', 'IGNORED'].map((status): Read => [
        query('reviewQueue', '(first: 100, filter: { status: $s })', '($s: ReviewStatus)'),
        { s: status },
      ]),
      ...ids.items.map((id): Read => [query('reviewItem', '(id: $id)', '($id: ID!)'), { id }]),
      [query('auditLog', '(first: 100)', ''), {}],
      [
        query('transparencyReport', '(from: $f, to: $t)', '($f: DateTime!, $t: DateTime!)'),
        {
          f: new Date(Date.now() - 86_400_000).toISOString(),
          t: new Date(Date.now() + 86_400_000).toISOString(),
        },
      ],
      ...ruleSetIds.flatMap((id): Read[] => [
        [query('ruleSet', '(id: $id)', '($id: ID!)'), { id }],
        [query('testRules', '(ruleSetId: $id, text: "a giveaway walkout")', '($id: ID!)'), { id }],
        [
          query('previewRuleSetImpact', '(ruleSetId: $id, since: $s)', '($id: ID!, $s: DateTime!)'),
          { id, s: new Date(Date.now() - 3_600_000).toISOString() },
        ],
      ]),
    ];
    const readers = ['dave', 'chen', 'mod.a', 'mod.c', 'officer.a', 'admin'].map(person);
    for (const [build, variables] of reads) {
      // As deep as the cost limit allows (nested connections are costly).
      let depth = 8;
      let text = build(depth);
      while (
        depth > 2 &&
        (await env.admin.gql(text, variables)).errors?.[0]?.extensions?.code ===
          'GRAPHQL_VALIDATION_FAILED'
      )
        text = build(--depth);
      await sut.gql(text, variables); // a visitor
      for (const reader of readers) await reader.gql(text, variables);
    }
    secrets = await personSecrets(
      sut,
      [...people.values()].map((p): KnownPerson => ({
        accountId: p.accountId,
        email: p.email,
        token: p.token,
        password: p.password,
        workEmails: p.workEmails,
      })),
    );
  }, 240_000);

  afterAll(async () => {
    for (const client of wsClients) await client.dispose();
    await env?.close();
  });

  /** What the asker may see of themself: their own session token and notification ids. */
  const ownValues = (answer: RecordedAnswer): Set<string> => {
    const own = new Set<string>();
    const mine = answer.token === undefined ? undefined : tokenOwner.get(answer.token);
    if (answer.token !== undefined && mine !== undefined) own.add(answer.token.toLowerCase());
    const data = answer.response.data as
      Record<string, { token?: string } | undefined> | null | undefined;
    for (const field of ['signUp', 'signIn']) {
      const token = data?.[field]?.token;
      if (typeof token === 'string') own.add(token.toLowerCase());
    }
    if (mine !== undefined)
      for (const [id, owner] of secrets.notificationOwner)
        if (owner === mine) own.add(id.toLowerCase());
    return own;
  };

  it('ran the scenario and read it back (a sanity check: the search below has something to find)', () => {
    const count = (label: string) => secrets.byLabel.get(label)?.size ?? 0;
    expect(count('identity.accounts.id')).toBe(12); // 13 people, one deleted
    expect(count('account id')).toBe(13);
    expect(count('content.threads.sealed_ref')).toBeGreaterThanOrEqual(4);
    expect(count('content.comments.author_token')).toBeGreaterThanOrEqual(3);
    expect(count('content.votes.voter_token')).toBeGreaterThanOrEqual(5);
    expect(count('content.reports.reporter_ref')).toBeGreaterThanOrEqual(3);
    expect(count('content.review_items.sanction_id')).toBeGreaterThanOrEqual(1);
    expect(count('content.review_items.decided_by')).toBeGreaterThanOrEqual(1);
    expect(count('identity.notifications.id')).toBeGreaterThanOrEqual(4);
    const all = answers.map((a) => a.text).join('\n');
    // Members saw the threads, comments and handles; moderators the queue with content and
    // history; officers the audit log with the sanction.
    for (const id of [...ids.threads, ...ids.comments, ...ids.items]) expect(all).toContain(id);
    expect(all).toContain('"history":[{');
    expect(all).toContain('sanction.apply');
    expect(all).toContain('"employerLabel":"Initech"');
    expect(all).toContain('"kind":"CONTENT_DECISION"');
    expect(subscriptionPayloads.join('\n')).toContain('"reviewQueueChanged"');
    expect(subscriptionPayloads.join('\n')).toContain('"commentAdded"');
    expect(answers.length).toBeGreaterThan(250);
    // The search finds what it looks for: sign-up answers carry the new session token.
    const signUps = answers.filter((a) => a.query.includes('signUp(') && a.response.data);
    expect(signUps.length).toBeGreaterThanOrEqual(12);
    for (const answer of signUps)
      expect(leaks(answer.text, secrets).some((l) => l.startsWith('session token'))).toBe(true);
  });

  it('answers nobody with an account id, an email, another person’s session token, a sealed reference or a keyed token', () => {
    const found: string[] = [];
    for (const answer of answers) {
      for (const leak of leaks(answer.text, secrets, ownValues(answer)))
        found.push(`${leak} in the answer to ${answer.query.slice(0, 80)}`);
    }
    for (const payload of subscriptionPayloads)
      for (const leak of leaks(payload, secrets)) found.push(`${leak} in a subscription event`);
    expect(found).toEqual([]);
  });

  it('puts none of them in an error message either, nor any email or client address', () => {
    const errors = answers.flatMap((a) => a.response.errors ?? []);
    const codes = new Set(errors.map((e) => String(e.extensions?.code)));
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'])
      expect(codes).toContain(code);
    const found: string[] = [];
    for (const error of errors) {
      const text = JSON.stringify(error);
      for (const leak of leaks(text, secrets)) found.push(`${leak} in ${text}`);
      if (EMAIL_PATTERN.test(text)) found.push(`an email address in ${text}`);
      if (IP_PATTERN.test(text)) found.push(`an address in ${text}`);
    }
    expect(found).toEqual([]);
  });

  it('let each role read what its role allows (the reads were not all refused)', () => {
    const outcome = (name: string | undefined, field: string) =>
      answers
        .filter(
          (a) =>
            a.query.startsWith('query') &&
            new RegExp(`^query[^{]*\\{ ${field}\\b`).test(a.query) &&
            (name === undefined ? a.token === undefined : a.token === person(name).token),
        )
        .map((a) => (a.response.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK')
        .filter((code) => code !== 'GRAPHQL_VALIDATION_FAILED'); // the depth probes
    const allOk = (name: string | undefined, field: string) => {
      const seen = outcome(name, field);
      expect(seen.length).toBeGreaterThan(0);
      expect([field, ...new Set(seen)]).toEqual([field, 'OK']);
    };
    for (const field of ['boards', 'thread', 'notifications', 'viewer', 'companies'])
      allOk('dave', field);
    for (const field of ['reviewQueue', 'reviewItem', 'reasonCodes']) allOk('mod.a', field);
    for (const field of ['auditLog', 'ruleSet', 'testRules', 'previewRuleSetImpact'])
      allOk('officer.a', field);
    for (const field of ['auditLog', 'companyRequests', 'transparencyReport'])
      allOk('admin', field);
    allOk(undefined, 'boards');
    expect(new Set(outcome('dave', 'reviewQueue'))).toEqual(new Set(['FORBIDDEN']));
  });

  it('logs (at trace level) no account id, email, session token, sealed reference, keyed token or client address', () => {
    const requestLines = mockLogLines.filter((line) => line.includes('request completed'));
    expect(requestLines.length).toBeGreaterThan(250);
    const found: string[] = [];
    for (const line of mockLogLines) {
      for (const leak of leaks(line, secrets)) found.push(`${leak} in ${line}`);
      if (EMAIL_PATTERN.test(line)) found.push(`an email address in ${line}`);
      if (IP_PATTERN.test(line)) found.push(`an address in ${line}`);
      if (/bearer/i.test(line)) found.push(`a bearer header in ${line}`);
      // Typed (wrong) passwords and statements of appeal are inputs, not log material.
      for (const input of ['wrong password here', 'not my password', 'It was a joke'])
        if (line.includes(input)) found.push(`the input "${input}" in ${line}`);
    }
    for (const line of requestLines) {
      const parsed = JSON.parse(line) as { req?: { path?: string } };
      expect(parsed.req?.path).not.toContain('?');
    }
    expect(found).toEqual([]);
  });
});
