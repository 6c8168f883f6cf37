import type { GraphQLRequestListener } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import type { Principal } from '../auth/principal';
import { Role } from '../auth/role';
import type { AppConfig } from '../config/app-config';
import type { ContentWrites } from '../events/content-writes';
import { MetricsService } from '../metrics/metrics.service';
import type { ThrottlerCounterStorage } from '../rate-limit/throttler-counter-storage';
import { MemberAnswers } from './member-answers';

const schema = buildSchema(`
  type Query { home(first: Int!): ThreadConnection! }
  type ThreadConnection { edges: [ThreadEdge!]! }
  type ThreadEdge { node: Thread! }
  type Thread { id: ID! viewerVote: Int! notices: [String!]! }
`);
const QUERY = '{ home(first: 2) { edges { node { id viewerVote } } } }';

type Req = { headers: Record<string, string>; principal?: Principal; ips: string[]; ip: string };
type Listener = GraphQLRequestListener<{ req: Req }>;

describe('MemberAnswers', () => {
  // One principal object for every request of the session, as the sessions' cache gives it.
  const session: Principal = Object.freeze({
    accountId: 'a',
    sessionId: 's',
    jurisdiction: 'US',
    roles: new Set([Role.MEMBER]),
  });
  let answers: MemberAnswers;
  let plugin: ReturnType<MemberAnswers['plugin']>;

  beforeEach(() => {
    answers = new MemberAnswers(
      { MEMBER_CACHE_MS: 60_000, RATE_LIMIT_WINDOW_SECONDS: 60, RATE_LIMIT_MAX: 100 } as AppConfig,
      {
        increment: () => Promise.resolve({ isBlocked: false }),
      } as unknown as ThrottlerCounterStorage,
      { onWrite: () => undefined } as unknown as ContentWrites,
      new MetricsService(),
    );
    answers.judgeMembersBy({
      principalOf: () => Promise.resolve(session),
      scopeOf: () => Promise.resolve('US|initech'),
    });
    plugin = answers.plugin();
  });

  /** A request's listener and context, as Apollo drives them. */
  async function request(query = QUERY) {
    const listener = (await plugin.requestDidStart!({} as never)) as Listener;
    const req: Req = { headers: { authorization: 'Bearer x' }, ips: [], ip: '127.0.0.1' };
    const document = parse(query);
    const context = {
      contextValue: { req },
      operation: document.definitions[0],
      request: { query },
      document,
      schema,
    };
    return {
      req,
      lookUp: () => listener.responseForOperation!(context as never),
      send: (data: object) =>
        listener.willSendResponse!({
          ...context,
          response: { body: { kind: 'single', singleResult: { data } } },
          errors: undefined,
        } as never),
    };
  }

  it("keeps apart the checks of one session's requests computed at the same time", async () => {
    const voted = await request();
    const neutral = await request();
    expect(await voted.lookUp()).toBeNull();
    expect(await neutral.lookUp()).toBeNull();
    // Each request's resolvers record on its own principal object.
    expect(voted.req.principal).not.toBe(neutral.req.principal);
    answers.dependsOnViewer(voted.req.principal, () => false);
    await voted.send({ home: { edges: [{ node: { id: 't', viewerVote: 1 } }] } });
    await neutral.send({ home: { edges: [{ node: { id: 't', viewerVote: 0 } }] } });
    // The neutral answer is kept, not the one holding the vote.
    const later = await request();
    const served = (await later.lookUp()) as { body: { singleResult: { data: unknown } } };
    expect(served.body.singleResult.data).toEqual({
      home: { edges: [{ node: { id: 't', viewerVote: 0 } }] },
    });
  });

  it('serves a kept answer only to a reader passing its checks', async () => {
    const first = await request();
    await first.lookUp();
    let passes = true;
    answers.dependsOnViewer(first.req.principal, () => passes);
    await first.send({ home: { edges: [] } });
    expect(await (await request()).lookUp()).not.toBeNull();
    passes = false;
    expect(await (await request()).lookUp()).toBeNull();
  });

  describe("a reader's own values", () => {
    const place = ['home', 'edges', 0, 'node', 'viewerVote'] as const;
    const page = (vote: number) => ({ home: { edges: [{ node: { id: 't', viewerVote: vote } }] } });
    type Served = { body: { singleResult: { data: unknown } } } | null;

    /** Keeps the answer computed while the reader's vote on thread t is `vote`, recording its place. */
    async function keep(vote: () => number) {
      const first = await request();
      await first.lookUp();
      answers.fillsPerViewer(first.req.principal, {
        places: [[place]],
        neutral: 0,
        valuesFor: () => [vote()],
      });
      await first.send(page(vote()));
    }

    it('fills them into the kept answer for the reader, leaving the kept one as it was', async () => {
      let vote = 0;
      await keep(() => vote);
      vote = -1;
      const own = (await (await request()).lookUp()) as Served;
      expect(own?.body.singleResult.data).toEqual(page(-1));
      vote = 0;
      const neutral = (await (await request()).lookUp()) as Served;
      expect(neutral?.body.singleResult.data).toEqual(page(0));
    });

    it('keeps the answer of a member who has some with the neutral values instead of theirs', async () => {
      let vote = 1;
      await keep(() => vote);
      vote = 0;
      const later = (await (await request()).lookUp()) as Served;
      expect(later?.body.singleResult.data).toEqual(page(0));
    });

    it('leaves the answer to be computed when a place is not in it', async () => {
      let vote = 0;
      const first = await request();
      await first.lookUp();
      answers.fillsPerViewer(first.req.principal, {
        places: [[['home', 'edges', 1, 'node', 'viewerVote']]],
        neutral: 0,
        valuesFor: () => [vote],
      });
      await first.send(page(0));
      vote = 1;
      expect(await (await request()).lookUp()).toBeNull();
      vote = 0;
      expect(await (await request()).lookUp()).not.toBeNull();
    });
  });

  it('leaves a request to its own path when the scope cannot be read (a store failing)', async () => {
    answers.judgeMembersBy({
      principalOf: () => Promise.resolve(session),
      scopeOf: () => Promise.reject(new Error('store unavailable')),
    });
    const failing = await request();
    expect(await failing.lookUp()).toBeNull();
    expect(answers.isRecording(failing.req.principal)).toBe(false);
  });

  it('looks up only operations whose every field is shared, and no staff', async () => {
    const withNotices = await request('{ home(first: 2) { edges { node { id notices } } } }');
    expect(await withNotices.lookUp()).toBeNull();
    expect(answers.isRecording(withNotices.req.principal)).toBe(false);
    const staff: Principal = { ...session, roles: new Set([Role.MEMBER, Role.MODERATOR]) };
    answers.judgeMembersBy({
      principalOf: () => Promise.resolve(staff),
      scopeOf: () => Promise.resolve('US|initech'),
    });
    const moderator = await request();
    expect(await moderator.lookUp()).toBeNull();
    expect(answers.isRecording(moderator.req.principal)).toBe(false);
  });
});
