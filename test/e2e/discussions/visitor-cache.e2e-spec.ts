import { Agent, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import { text } from 'node:stream/consumers';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ContentWithholdingEntity } from '../../../src/posts/content-withholding.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { VisitorCache } from '../../../src/infrastructure/graphql/visitor-cache';
import { HttpDrain } from '../../../src/infrastructure/http/http-drain';
import { metricValue, scrapeMetrics } from '../../utils/metrics';
import { countApolloRequests, countExpressRequests } from '../../utils/request-counters';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const FEED = `query Feed($first: Int!) {
  board(slug: "general") {
    threads(first: $first) { edges { node { id title author { isViewer } } } }
  }
}`;
interface Feed {
  board: { threads: { edges: Array<{ node: { id: string; title: string } }> } };
}
const titles = (data: Feed | null | undefined) =>
  data?.board.threads.edges.map((edge) => edge.node.title) ?? [];

const mockLogLines: string[] = [];
jest.mock('pino', () =>
  jest
    .requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
    .capturingPino((line) => mockLogLines.push(line)),
);

/** Budget per address and window; the visitor's cached answers count against it. */
const BUDGET = 20;

/** The app with a general board and one verified member who posts threads there. */
async function startForum(slug: string, config: Record<string, string>) {
  const env = await createIdentityTestApp({ name: slug, slug }, undefined, {
    PUBLIC_READ: 'true',
    VISITOR_CACHE_MS: '60000',
    // The visitor cache alone: members' pages computed from the store every time.
    FEED_PAGE_CACHE_MS: '0',
    ...config,
  });
  const boardId = await createGeneralBoard(env.admin);
  const member = await signUpMember(env.app, env.smtp);
  expect(
    (await verifyEmployer(env.app, env.smtp, member, `peter@${slug}.example`)).errors,
  ).toBeUndefined();
  const post = (title: string) =>
    member.gql<{ createThread: { thread: { id: string } } }>(
      'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } } }',
      { b: boardId, t: title },
    );
  return { env, member, post };
}

type Forum = Awaited<ReturnType<typeof startForum>>;

describe('Visitor cache (whole answers to signed-out readers)', () => {
  let env: IdentityTestApp;
  let member: SignedInClient;
  let post: Forum['post'];
  let threadId: string;

  beforeAll(async () => {
    ({ env, member, post } = await startForum('initech', { RATE_LIMIT_MAX: String(BUDGET) }));
    threadId = (await post('first thread')).data!.createThread.thread.id;
  });
  afterAll(async () => env.close());

  const visitorFeed = (first = 10) => env.app.gql<Feed>(FEED, { first });
  /** Changes a row behind this instance's back, as another instance's write would. */
  const retitleDirectly = (id: string, title: string) =>
    env.app.app
      .get<DataSource>(getDataSourceToken(CONTENT_STORE))
      .getRepository(ThreadEntity)
      .update({ id }, { title });

  it('reuses an answer for visitors, and never for members', async () => {
    expect(titles((await visitorFeed()).data)).toEqual(['first thread']);
    await retitleDirectly(threadId, 'changed elsewhere');

    // The visitor gets the kept answer; other variables are another entry.
    expect(titles((await visitorFeed()).data)).toEqual(['first thread']);
    expect(titles((await visitorFeed(5)).data)).toEqual(['changed elsewhere']);
    // A member's answer is always computed (it says which posts are theirs).
    const mine = await member.gql<Feed>(FEED, { first: 10 });
    expect(titles(mine.data)).toEqual(['changed elsewhere']);
  });

  it('drops every kept answer when this instance writes content', async () => {
    expect(titles((await visitorFeed()).data)).toEqual(['first thread']);
    await post('second thread');
    expect(titles((await visitorFeed()).data)).toEqual(['second thread', 'changed elsewhere']);
  });

  it('keeps no answer with errors, and no answer to a request with Authorization', async () => {
    const bad = await env.app.gql(
      '{ board(slug: "general") { threads(first: 0) { edges { cursor } } } }',
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const again = await env.app.gql(
      '{ board(slug: "general") { threads(first: 0) { edges { cursor } } } }',
    );
    expect(again.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // An invalid token is refused every time, never answered from a visitor's entry.
    await visitorFeed();
    const forged = await env.app.gql<Feed>(FEED, { first: 10 }, { authorization: 'Bearer nope' });
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('counts kept answers against the address’s request budget', async () => {
    let refused: Record<string, unknown> | undefined;
    for (let i = 0; i < BUDGET + 2 && refused === undefined; i++) {
      const res = await visitorFeed(3);
      refused = res.errors?.[0].extensions;
      if (refused === undefined) expect(res.data?.board.threads.edges).toHaveLength(2);
    }
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(refused?.retryAfterSeconds).toEqual(expect.any(Number));
  });
});

/** Budget per address and window; answers from the fast path count against it. */
const FAST_PATH_BUDGET = 25;
/** Headers that differ between any two answers (when, and which request). */
const PER_ANSWER = new Set(['date', 'x-request-id']);

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  bytes: string;
}

describe('Visitor cache: answers before Nest and Apollo', () => {
  let env: IdentityTestApp;
  let member: SignedInClient;
  let withheldId: string;
  /** POST /graphql requests that reached Apollo's HTTP handler. */
  let apolloRequests = 0;

  beforeAll(async () => {
    let post: Forum['post'];
    ({ env, member, post } = await startForum('initrode', {
      RATE_LIMIT_MAX: String(FAST_PATH_BUDGET),
      TRUSTED_JURISDICTION_HEADER: 'X-Country',
      LOG_LEVEL: 'info',
    }));
    const idOf = async (title: string) => (await post(title)).data!.createThread.thread.id;
    await idOf('open everywhere');
    withheldId = await idOf('withheld in China');
    // Withheld in CN as a rule would have it (the compliance specs cover how rules get there).
    await env.app.app
      .get<DataSource>(getDataSourceToken(CONTENT_STORE))
      .getRepository(ContentWithholdingEntity)
      .insert({
        contentId: withheldId,
        jurisdiction: 'CN',
        contentKind: 'THREAD',
        threadId: withheldId,
        createdAt: new Date(),
      });
    env.app.app.get(VisitorCache).clear();

    countApolloRequests(env.app.app, () => (apolloRequests += 1));
  });
  afterAll(async () => env.close());

  const raw = async (
    first: number,
    headers: Record<string, string> = {},
    body: Record<string, unknown> = {},
  ): Promise<RawAnswer> => {
    const response = await fetch(`${env.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: FEED, operationName: 'Feed', variables: { first }, ...body }),
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      bytes: await response.text(),
    };
  };
  const stable = (answer: RawAnswer) => ({
    ...answer,
    headers: Object.fromEntries(
      Object.entries(answer.headers).filter(([name]) => !PER_ANSWER.has(name)),
    ),
  });
  const titles = (answer: RawAnswer) =>
    (JSON.parse(answer.bytes) as { data: Feed }).data.board.threads.edges.map((e) => e.node.title);

  it('sends a kept answer without Apollo: same status, headers and bytes', async () => {
    const metricsBefore = await scrapeMetrics(env.app.url);
    const before = apolloRequests;
    const computed = await raw(10);
    expect(apolloRequests).toBe(before + 1);
    const kept = await raw(10);
    const keptAgain = await raw(10);
    expect(apolloRequests).toBe(before + 1);

    expect(computed.status).toBe(200);
    expect(titles(computed)).toEqual(['withheld in China', 'open everywhere']);
    expect(stable(kept)).toEqual(stable(computed));
    expect(stable(keptAgain)).toEqual(stable(computed));
    // helmet's headers and the request id are there as on any answer.
    expect(kept.headers['x-content-type-options']).toBe('nosniff');
    expect(kept.headers['x-request-id']).not.toBe(computed.headers['x-request-id']);

    // Operators see the hits as before: one log line per request naming the operation, …
    const logged = mockLogLines
      .map((line) => JSON.parse(line) as { reqId?: string; graphql?: unknown; res?: unknown })
      .find((line) => line.reqId === kept.headers['x-request-id']);
    expect(logged).toMatchObject({
      graphql: { operation: 'Feed', type: 'query' },
      res: { statusCode: 200 },
    });
    // … the cache's hit count and the operation's requests.
    const metricsAfter = await scrapeMetrics(env.app.url);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      (metricValue(metricsAfter, name, labels) ?? 0) -
      (metricValue(metricsBefore, name, labels) ?? 0);
    expect(delta('visitor_cache_hits_total')).toBe(2);
    expect(delta('visitor_cache_misses_total')).toBe(1);
    expect(
      delta('graphql_requests_total', { operation: 'Feed', type: 'query', outcome: 'ok' }),
    ).toBe(3);
  });

  it('keeps the answers of each jurisdiction apart', async () => {
    const before = apolloRequests;
    const china = await raw(7, { 'x-country': 'CN' });
    const elsewhere = await raw(7);
    expect(apolloRequests).toBe(before + 2);
    expect(titles(china)).toEqual(['open everywhere']);
    expect(titles(elsewhere)).toEqual(['withheld in China', 'open everywhere']);

    // Kept per jurisdiction, as the resolvers judge it (a lower-case code is the same one).
    expect(stable(await raw(7, { 'x-country': 'cn' }))).toEqual(stable(china));
    expect(stable(await raw(7, { 'x-country': 'CN' }))).toEqual(stable(china));
    expect(stable(await raw(7))).toEqual(stable(elsewhere));
    expect(apolloRequests).toBe(before + 2);
  });

  it('never answers a member, or a request with other body keys', async () => {
    await raw(4);
    const before = apolloRequests;
    const mine = await member.gql<{
      board: { threads: { edges: Array<{ node: { author: { isViewer: boolean } } }> } };
    }>(FEED, { first: 4 });
    expect(mine.data?.board.threads.edges.map((e) => e.node.author.isViewer)).toEqual([true, true]);
    const forged = await raw(4, { authorization: 'Bearer nope' });
    expect((JSON.parse(forged.bytes) as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
    await raw(4, {}, { extensions: {} });
    expect(apolloRequests).toBe(before + 3);
  });

  it('charges the address’s budget and refuses as Apollo does once it is spent', async () => {
    const first = await raw(3);
    expect(first.status).toBe(200);
    const before = apolloRequests;
    let refused: RawAnswer | undefined;
    let served = 0;
    while (refused === undefined && served <= FAST_PATH_BUDGET) {
      const answer = await raw(3);
      if (answer.status === 200) {
        expect(stable(answer)).toEqual(stable(first));
        served += 1;
      } else refused = answer;
    }
    expect(served).toBeLessThanOrEqual(FAST_PATH_BUDGET);
    // The answers served came from the fast path; the refusal from Apollo (its 429 and headers).
    expect(apolloRequests).toBe(before + 1);
    expect(refused?.status).toBe(429);
    expect(refused?.headers['retry-after']).toBe(String(env.app.config.RATE_LIMIT_WINDOW_SECONDS));
    expect(JSON.parse(refused!.bytes)).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'RATE_LIMITED', budget: 'default' }),
        }),
      ],
    });
  });
});

/**
 * A POST /graphql over node:http, so that the body can be sent in chunks (no Content-Length)
 * and a keep-alive connection reused; the answer's headers as received.
 */
function postRaw(
  url: string,
  chunks: readonly string[],
  headers: OutgoingHttpHeaders = {},
  agent?: Agent,
  path = '/graphql',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      const received = Object.entries(res.headers).map(([name, value]) => [name, String(value)]);
      text(res).then(
        (bytes) =>
          resolve({ status: res.statusCode ?? 0, headers: Object.fromEntries(received), bytes }),
        reject,
      );
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('Visitor cache: answers at the HTTP server’s front door, before Express', () => {
  let env: IdentityTestApp;
  /** Requests that reached Express's app, and those that reached Apollo's HTTP handler. */
  let expressRequests = 0;
  let apolloRequests = 0;
  const body = (first: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ query: FEED, operationName: 'Feed', variables: { first }, ...extra });
  /** Everything but what differs between any two answers (when, and which request). */
  const stable = (answer: RawAnswer) => ({
    ...answer,
    headers: Object.fromEntries(
      Object.entries(answer.headers).filter(
        ([name]) => !PER_ANSWER.has(name) && name !== 'connection' && name !== 'keep-alive',
      ),
    ),
  });

  beforeAll(async () => {
    ({ env } = await startForum('globex', {
      // Shedding on, one request at a time and no waiting: a second request at once is refused.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '10000',
      LOAD_SHED_MAX_IN_FLIGHT: '1',
      LOAD_SHED_MAX_QUEUE_MS: '0',
      MAX_BODY_BYTES: '4096',
    }));
    countExpressRequests(env.app.app, () => (expressRequests += 1));
    countApolloRequests(env.app.app, () => (apolloRequests += 1));
  });
  afterAll(async () => env.close());

  it('sends a hit without Express, with the headers and bytes Apollo’s answer went out with', async () => {
    const computed = await postRaw(env.app.url, [body(6)]);
    const [express, apollo] = [expressRequests, apolloRequests];
    const kept = await postRaw(env.app.url, [body(6)]);
    expect([expressRequests, apolloRequests]).toEqual([express, apollo]);
    expect(stable(kept)).toEqual(stable(computed));
    expect(kept.headers.etag).toMatch(/^W\/"/);
    expect(kept.headers['content-length']).toBe(String(Buffer.byteLength(computed.bytes)));
    expect(kept.headers['x-request-id']).not.toBe(computed.headers['x-request-id']);

    // A body sent in chunks (no Content-Length) is read and answered the same way.
    const [start, end] = [body(6).slice(0, 20), body(6).slice(20)];
    const chunked = await postRaw(env.app.url, [start, end]);
    expect(stable(chunked)).toEqual(stable(computed));
    expect([expressRequests, apolloRequests]).toEqual([express, apollo]);

    // Express answers 304 to a matching If-None-Match only for GET and HEAD: a POST gets the
    // answer again, from the door as from Apollo.
    const again = await postRaw(env.app.url, [body(6)], { 'if-none-match': kept.headers.etag });
    expect(stable(again)).toEqual(stable(computed));
  });

  it('answers what it cannot read exactly as Express does', async () => {
    // A POST to `/graphql/` never takes the door (Express routes it to Apollo all the same):
    // its refusals are Express's own.
    const compare = async (chunks: string[]) => {
      const [door, express] = [
        await postRaw(env.app.url, chunks),
        await postRaw(env.app.url, chunks, {}, undefined, '/graphql/'),
      ];
      expect(stable(door)).toEqual(stable(express));
      return door;
    };
    const tooLarge = await compare([body(6, { variables: { first: 6, pad: 'x'.repeat(5000) } })]);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.bytes)).toMatchObject({
      errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 4096 } }],
    });
    expect(tooLarge.headers['x-content-type-options']).toBe('nosniff');
    const badJson = await compare(['{"query": "{ boards { id } }"']);
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.bytes)).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('lets load shedding refuse first: a hit is not sent past capacity', async () => {
    await postRaw(env.app.url, [body(5)]);
    // A request whose body is still arriving holds the only slot.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const held = httpRequest(`${env.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '2' },
    });
    const heldAnswer = new Promise<number>((resolve) =>
      held.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    held.write('{');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await postRaw(env.app.url, [body(5)], {}, agent);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(JSON.parse(refused.bytes)).toMatchObject({
      errors: [{ extensions: { code: 'OVERLOADED' } }],
    });
    held.end('}');
    expect(await heldAnswer).toBe(400);
    expect((await postRaw(env.app.url, [body(5)], {}, agent)).status).toBe(200);
    agent.destroy();
  });

  it('closes the connection of a hit answered after the shutdown signal (last: stops the server)', async () => {
    const drain = new HttpDrain(env.app.app.getHttpServer() as Server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await postRaw(env.app.url, [body(4)], {}, agent);
    const apollo = apolloRequests;
    const open = await postRaw(env.app.url, [body(4)], {}, agent);
    expect(open.headers.connection).toBe('keep-alive');
    const drained = drain.drain();
    const closing = await postRaw(env.app.url, [body(4)], {}, agent);
    expect(apolloRequests).toBe(apollo);
    expect(closing.headers.connection).toBe('close');
    expect(stable(closing)).toEqual(stable(before));
    await drained;
    agent.destroy();
  });
});
