import { ModulesContainer } from '@nestjs/core';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rateLimitedMessage } from '../../../src/common/errors';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { ACCOUNT_RATE_LIMIT_METADATA } from '../../../src/infrastructure/rate-limit/account-rate-limits';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
  verifyEmployer,
} from '../../utils/identity-client';
import type { GraphqlResponse, TestApp } from '../../utils/test-app';
import { tableName } from '../../utils/store-dump';

/**
 * Issue 9: sign-in, code requests, posting, voting and reporting limits answer RATE_LIMITED
 * with a retry hint (`extensions.retryAfterSeconds`). Small limits come from the environment;
 * TRUST_PROXY=loopback lets each test speak from its own client address (X-Forwarded-For),
 * so per-address counters of one test do not spill into another.
 */

type Answer = GraphqlResponse<Record<string, unknown>>;

const codeOf = (res: Answer): unknown => res.errors?.[0]?.extensions?.code;

/** The answer is RATE_LIMITED with a whole number of seconds to wait within (min, max]. */
function expectRateLimited(res: Answer, min: number, max: number): void {
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  const retry = res.errors?.[0]?.extensions?.retryAfterSeconds;
  expect(Number.isInteger(retry)).toBe(true);
  // The message says the same wait as the hint, in words, and the refusing budget is named.
  expect(res.errors?.[0]?.message).toBe(rateLimitedMessage(retry as number));
  expect(res.errors?.[0]?.message).toMatch(
    /^Too many requests: try again in \d+ (second|minute|hour)s?\.$/,
  );
  expect(res.errors?.[0]?.extensions?.budget).toEqual(expect.any(String));
  expect(retry).toBeGreaterThan(min);
  expect(retry).toBeLessThanOrEqual(max);
}

/** Every key the rate limiters were asked to count, to check none is a raw identifier. */
const limiterKeys: string[] = [];
const consume = RateLimiterMemory.prototype.consume;
beforeAll(() => {
  jest.spyOn(RateLimiterMemory.prototype, 'consume').mockImplementation(function (
    this: RateLimiterMemory,
    key,
    ...rest
  ) {
    limiterKeys.push(String(key));
    return consume.call(this, key, ...rest);
  });
});
afterAll(() => jest.restoreAllMocks());

describe('Rate limits on sign-in and email codes (per client address and per email address)', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let member: SignedInClient;

  const from = (ip: string, query: string, variables?: Record<string, unknown>) =>
    sut.gql(query, variables, { 'x-forwarded-for': ip });
  const signIn = (ip: string, email: string, password = 'definitely wrong') =>
    from(ip, 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', {
      e: email,
      p: password,
    });
  const requestCode = (ip: string, email: string) =>
    from(ip, 'mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email });

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_MAX: '4',
      SIGN_INS_PER_ADDRESS: '2',
      SIGN_INS_PER_IP: '3',
      EMAIL_CODES_PER_ADDRESS_PER_HOUR: '2',
      EMAIL_CODES_PER_IP_PER_HOUR: '3',
    });
    sut = env.app;
    member = await signUpMember(sut, env.smtp, { password: 'the right password' });
  });
  afterAll(async () => env.close());

  it('limits sign-ins per client address (SIGN_INS_PER_IP per 15 minutes)', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await signIn('10.1.0.1', `ghost${i}@example.org`));
    expect(answers.slice(0, 3).map(codeOf)).toEqual(Array(3).fill('UNAUTHENTICATED'));
    expectRateLimited(answers[3], 60, 900);
    // Another address is not affected.
    expect(codeOf(await signIn('10.1.0.2', 'ghost9@example.org'))).toBe('UNAUTHENTICATED');
  });

  it('limits sign-ins per email address from any client address (SIGN_INS_PER_ADDRESS per 15 minutes), even with the right password', async () => {
    expect(codeOf(await signIn('10.2.0.1', member.email))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn('10.2.0.2', member.email))).toBe('UNAUTHENTICATED');
    expectRateLimited(await signIn('10.2.0.3', member.email, member.password), 60, 900);
    // The same answer for an address nobody has: the limit says nothing about accounts.
    const ghost = 'nobody.here@example.org';
    expect(codeOf(await signIn('10.2.1.1', ghost))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn('10.2.1.2', ghost))).toBe('UNAUTHENTICATED');
    expectRateLimited(await signIn('10.2.1.3', ghost), 60, 900);
  });

  it('limits sign-ups per client address per minute (AUTH_RATE_LIMIT_MAX, the per-minute budget of sign-up, sign-in and code requests)', async () => {
    const signUp = () =>
      from(
        '10.3.0.1',
        'mutation { signUp(email: "new.person@example.org", code: "000000", password: "long enough password", jurisdiction: "US") { token } }',
      );
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await signUp());
    expect(answers.slice(0, 4).map(codeOf)).toEqual(Array(4).fill('BAD_USER_INPUT'));
    expectRateLimited(answers[4], 0, 60);
  });

  it('limits code requests per email address (EMAIL_CODES_PER_ADDRESS_PER_HOUR), whether or not it has an account', async () => {
    const unknown = 'unknown.person@example.org';
    expect((await requestCode('10.4.0.1', unknown)).data).toEqual({ requestEmailCode: true });
    expect((await requestCode('10.4.0.2', unknown)).data).toEqual({ requestEmailCode: true });
    expectRateLimited(await requestCode('10.4.0.3', unknown), 600, 3600);
    // The member spent one of the hour's two codes signing up.
    expect((await requestCode('10.4.1.1', member.email)).data).toEqual({ requestEmailCode: true });
    expectRateLimited(await requestCode('10.4.1.2', member.email), 600, 3600);
  });

  it('limits code requests per client address (EMAIL_CODES_PER_IP_PER_HOUR)', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await requestCode('10.5.0.1', `code${i}@example.org`));
    expect(answers.slice(0, 3).map((a) => a.data)).toEqual(
      Array(3).fill({ requestEmailCode: true }),
    );
    expectRateLimited(answers[3], 600, 3600);
  });
});

describe('Rate limits on posting, voting and reporting (per account)', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let boardId: string;
  let alice: SignedInClient;
  let bob: SignedInClient;
  let carol: SignedInClient;
  let dave: SignedInClient;
  let erin: SignedInClient;

  const as = <T = Record<string, unknown>>(
    client: SignedInClient,
    query: string,
    variables?: Record<string, unknown>,
    ip?: string,
  ) =>
    sut.gql<T>(query, variables, {
      authorization: `Bearer ${client.token}`,
      ...(ip === undefined ? {} : { 'x-forwarded-for': ip }),
    });
  const createThread = (client: SignedInClient, title: string, ip?: string) =>
    as<{ createThread: { thread: { id: string } } }>(
      client,
      'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } } }',
      { b: boardId, t: title },
      ip,
    );
  const createComment = (client: SignedInClient, threadId: string, ip?: string) =>
    as<{ createComment: { comment: { id: string } } }>(
      client,
      'mutation ($t: ID!) { createComment(input: { threadId: $t, body: "a comment" }) { comment { id } } }',
      { t: threadId },
      ip,
    );
  const editThread = (client: SignedInClient, id: string) =>
    as(client, 'mutation ($id: ID!) { editThread(id: $id, body: "edited") { thread { id } } }', {
      id,
    });
  const editComment = (client: SignedInClient, id: string) =>
    as(client, 'mutation ($id: ID!) { editComment(id: $id, body: "edited") { comment { id } } }', {
      id,
    });
  const vote = (client: SignedInClient, contentId: string, value: number) =>
    as(client, 'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }', {
      c: contentId,
      v: value,
    });
  const VOTE = 'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }';
  const setVote = (client: SignedInClient, contentId: string, value: number) =>
    as(client, 'mutation ($c: ID!, $v: Int!) { setVote(contentId: $c, value: $v) { score } }', {
      c: contentId,
      v: value,
    });
  const report = (client: SignedInClient, contentId: string) =>
    as(client, 'mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }', { c: contentId });
  const appeal = (client: SignedInClient, contentId: string) =>
    as(client, 'mutation ($c: ID!) { appeal(contentId: $c, statement: "Please look again.") }', {
      c: contentId,
    });
  const threadView = async (id: string) =>
    (
      await dataOf(
        sut.gql<{ thread: { score: number; commentCount: number; body: string } | null }>(
          'query ($id: ID!) { thread(id: $id) { score commentCount body } }',
          { id },
          { authorization: `Bearer ${erin.token}` },
        ),
      )
    ).thread;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      TRUST_PROXY: 'loopback',
      // Visitors search and read here (their budgets are per address).
      PUBLIC_READ: 'true',
      AUTH_RATE_LIMIT_MAX: '1000',
      EMAIL_CODES_PER_IP_PER_HOUR: '1000',
      POST_RATE_LIMIT_MAX: '4',
      VOTE_RATE_LIMIT_MAX: '3',
      REPORT_RATE_LIMIT_MAX: '2',
      SEARCH_RATE_LIMIT_MAX: '2',
    });
    sut = env.app;
    boardId = await createGeneralBoard(env.admin);
    [alice, bob, carol, dave, erin] = await Promise.all(
      Array.from({ length: 5 }, () => signUpMember(sut, env.smtp)),
    );
    // Posting and voting need a verified employer (reporting does not).
    for (const [i, author] of [alice, bob, carol, dave, erin].entries()) {
      expect(
        (await verifyEmployer(sut, env.smtp, author, `author${i}@initech.example`)).errors,
      ).toBeUndefined();
    }
  });
  afterAll(async () => env.close());

  it('shares one posting budget (POST_RATE_LIMIT_MAX per 10 minutes) across threads, comments and edits, per account', async () => {
    // Four posts from four client addresses: the budget follows the account, not the address.
    const threadId = (await dataOf(createThread(alice, 'First', '10.6.0.1'))).createThread.thread
      .id;
    const commentId = (await dataOf(createComment(alice, threadId, '10.6.0.2'))).createComment
      .comment.id;
    expect((await editThread(alice, threadId)).errors).toBeUndefined();
    expect((await editComment(alice, commentId)).errors).toBeUndefined();

    // Spent: every posting operation is refused with a hint within the 10-minute window.
    expectRateLimited(await createThread(alice, 'Second', '10.6.0.3'), 60, 600);
    expectRateLimited(await createComment(alice, threadId), 60, 600);
    expectRateLimited(await editThread(alice, threadId), 60, 600);
    expectRateLimited(await editComment(alice, commentId), 60, 600);

    // Nothing of the refused posts was written.
    const view = await threadView(threadId);
    expect(view).toMatchObject({ commentCount: 1, body: 'edited' });

    // Another account on the same address still posts.
    expect((await createThread(bob, 'Bob speaks', '10.6.0.3')).errors).toBeUndefined();
    expect((await createComment(bob, threadId, '10.6.0.1')).errors).toBeUndefined();
  });

  it('limits votes per account (VOTE_RATE_LIMIT_MAX per minute), counting changes and withdrawals', async () => {
    const threadId = (await dataOf(createThread(dave, 'Vote on me'))).createThread.thread.id;
    expect((await vote(carol, threadId, 1)).data).toEqual({ vote: 1 });
    expect((await vote(carol, threadId, 0)).data).toEqual({ vote: 0 });
    expect((await vote(carol, threadId, -1)).data).toEqual({ vote: -1 });
    expectRateLimited(await vote(carol, threadId, 1), 0, 60);
    expect((await threadView(threadId))?.score).toBe(-1);
    // Another voter is not affected.
    expect((await vote(erin, threadId, 1)).data).toEqual({ vote: 0 });
    // setVote spends the same budget as vote.
    expect((await setVote(erin, threadId, -1)).data).toEqual({ setVote: { score: -2 } });
    expect((await vote(erin, threadId, 0)).data).toEqual({ vote: -1 });
    expectRateLimited(await setVote(erin, threadId, 1), 0, 60);
    expectRateLimited(await vote(erin, threadId, 1), 0, 60);
    expect((await threadView(threadId))?.score).toBe(-1);
  });

  it('puts votePoll under the vote budget, refused votes counting as attempts', async () => {
    const frank = await signUpMember(sut, env.smtp);
    expect(
      (await verifyEmployer(sut, env.smtp, frank, 'frank@initech.example')).errors,
    ).toBeUndefined();
    const { createThread: created } = await dataOf(
      as<{ createThread: { thread: { poll: { id: string; options: Array<{ id: string }> } } } }>(
        bob,
        'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Poll", body: "Vote", poll: { question: "Which?", options: ["A", "B"] } }) { thread { poll { id options { id } } } } }',
        { b: boardId },
      ),
    );
    const { id: pollId, options } = created.thread.poll;
    const votePoll = () =>
      as<{ votePoll: { totalVotes: number } }>(
        frank,
        'mutation ($p: ID!, $o: [ID!]!) { votePoll(pollId: $p, optionIds: $o) { totalVotes } }',
        { p: pollId, o: [options[0].id] },
      );
    expect((await votePoll()).data).toEqual({ votePoll: { totalVotes: 1 } });
    expect(codeOf(await votePoll())).toBe('CONFLICT');
    expect(codeOf(await votePoll())).toBe('CONFLICT');
    expectRateLimited(await votePoll(), 0, 60);
    // The vote budget is one: frank's plain votes are refused too.
    expectRateLimited(await vote(frank, pollId, 1), 0, 60);
  });

  it('limits searches per account (SEARCH_RATE_LIMIT_MAX per minute), and per address for visitors', async () => {
    const SEARCH = 'query ($q: String!) { search(query: $q, first: 5) { edges { snippet } } }';
    expect((await as(carol, SEARCH, { q: 'budget' })).errors).toBeUndefined();
    expect((await as(carol, SEARCH, { q: 'other words' })).errors).toBeUndefined();
    expectRateLimited(await as(carol, SEARCH, { q: 'budget' }), 0, 60);
    // Another account is not affected.
    expect((await as(bob, SEARCH, { q: 'budget' })).errors).toBeUndefined();
    // A visitor counts by client address.
    const visitor = (address: string) =>
      sut.gql(SEARCH, { q: 'budget' }, { 'X-Forwarded-For': address });
    expect((await visitor('203.0.113.77')).errors).toBeUndefined();
    expect((await visitor('203.0.113.77')).errors).toBeUndefined();
    expectRateLimited(await visitor('203.0.113.77'), 0, 60);
    expect((await visitor('203.0.113.78')).errors).toBeUndefined();
  });

  it('shares one budget (REPORT_RATE_LIMIT_MAX per hour) between reports and appeals, per account', async () => {
    const first = (await dataOf(createThread(dave, 'Report me'))).createThread.thread.id;
    const second = (await dataOf(createThread(dave, 'Me too'))).createThread.thread.id;
    expect((await report(carol, first)).data).toEqual({ report: true });
    expect((await report(carol, second)).data).toEqual({ report: true });
    expectRateLimited(await report(carol, first), 600, 3600);
    expectRateLimited(await appeal(carol, first), 600, 3600);

    // Appeals spend the same budget (refused or not, an attempt is an attempt).
    expect(codeOf(await appeal(erin, first))).toBe('NOT_FOUND');
    expect(codeOf(await appeal(erin, second))).toBe('NOT_FOUND');
    expectRateLimited(await report(erin, first), 600, 3600);

    // Another reporter is not affected.
    expect((await report(bob, first)).data).toEqual({ report: true });
  });

  it("tells each account only its own budget in headers, never the shared address's", async () => {
    const threadId = (await dataOf(createThread(bob, 'Headers', '10.7.0.1'))).createThread.thread
      .id;
    const headersOf = (res: Answer) =>
      Object.fromEntries(
        [...res.headers.entries()].filter(([name]) => /^(x-ratelimit|retry-after)/i.test(name)),
      );
    // Two people behind one address (an office's NAT), voting in turn.
    const daveFirst = await as(dave, VOTE, { c: threadId, v: 1 }, '10.7.0.1');
    const aliceFirst = await as(alice, VOTE, { c: threadId, v: 1 }, '10.7.0.1');
    const daveSecond = await as(dave, VOTE, { c: threadId, v: 0 }, '10.7.0.1');
    for (const res of [daveFirst, aliceFirst, daveSecond]) expect(res.errors).toBeUndefined();
    expect(headersOf(daveFirst)).toEqual({
      'x-ratelimit-limit-vote': '3',
      'x-ratelimit-remaining-vote': '2',
      'x-ratelimit-reset-vote': expect.stringMatching(/^\d+$/),
    });
    // Alice's answer is about Alice alone, and Dave's second about Dave alone: nothing counted
    // per address (the general budget) is shown.
    expect(headersOf(aliceFirst)['x-ratelimit-remaining-vote']).toBe('2');
    expect(headersOf(daveSecond)['x-ratelimit-remaining-vote']).toBe('1');
    // A visitor on that address learns nothing of its budget either.
    const visitor = await sut.gql('{ boards { id } }', undefined, {
      'x-forwarded-for': '10.7.0.1',
    });
    expect(visitor.errors).toBeUndefined();
    expect(headersOf(visitor)).toEqual({});

    // Dave's budget spent: HTTP 429 with Retry-After, the message saying the same wait, and
    // the headers describing the vote budget that refused (none other).
    expect((await as(dave, VOTE, { c: threadId, v: 1 }, '10.7.0.1')).errors).toBeUndefined();
    const refused = await as(dave, VOTE, { c: threadId, v: 0 }, '10.7.0.1');
    expectRateLimited(refused, 0, 60);
    expect(refused.errors?.[0]?.extensions?.budget).toBe('vote');
    expect(refused.status).toBe(429);
    const retry = String(refused.errors?.[0]?.extensions?.retryAfterSeconds);
    expect(headersOf(refused)).toEqual({
      'retry-after': retry,
      'x-ratelimit-limit-vote': '3',
      'x-ratelimit-remaining-vote': '0',
      'x-ratelimit-reset-vote': retry,
    });
    // Answers that are not refused keep 200.
    expect(daveFirst.status).toBe(200);
  });

  it('puts exactly the intended operations under the named budgets', () => {
    const budgets: Record<string, string> = {};
    for (const module of sut.app.get(ModulesContainer).values()) {
      for (const wrapper of module.providers.values()) {
        const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
        if (prototype === undefined || prototype === null) continue;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
          if (typeof method !== 'function') continue;
          const account = Reflect.getMetadata(ACCOUNT_RATE_LIMIT_METADATA, method) as
            string | undefined;
          const auth = Reflect.getMetadata('rate-limit:auth', method) as unknown;
          if (account !== undefined) budgets[name] = account;
          if (auth === true) budgets[name] = 'auth';
        }
      }
    }
    expect(budgets).toEqual({
      requestEmailCode: 'auth',
      signUp: 'auth',
      signIn: 'auth',
      resetPassword: 'auth',
      createThread: 'post',
      editThread: 'post',
      createComment: 'post',
      editComment: 'post',
      vote: 'vote',
      setVote: 'vote',
      votePoll: 'vote',
      followThread: 'vote',
      bookmarkThread: 'vote',
      report: 'report',
      appeal: 'report',
      search: 'search',
    });
  });

  it('checks authentication before the budget: visitors get UNAUTHENTICATED', async () => {
    const res = await sut.gql(
      'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "t", body: "b" }) { thread { id } } }',
      { b: boardId },
    );
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('never hands a client address, an account id or an email to the counters', async () => {
    const identity = sut.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    const accountIds = (
      await identity.query<Array<{ id: string }>>(
        `SELECT id FROM ${tableName(identity, identity.getMetadata('accounts').tablePath)}`,
      )
    ).map((row) => row.id);
    expect(accountIds.length).toBeGreaterThanOrEqual(6);
    expect(limiterKeys.length).toBeGreaterThan(50);
    const secrets = [
      ...accountIds,
      ...[alice, bob, carol, dave, erin].map((c) => c.email),
      '10.6.0.1',
      '10.1.0.1',
      '127.0.0.1',
      'example.org',
    ];
    for (const key of limiterKeys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/); // HMAC-SHA256, base64url
      for (const secret of secrets) expect(key).not.toContain(secret);
    }
  });
});
