import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
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

/** Budget per address and window; the visitor's cached answers count against it. */
const BUDGET = 20;

describe('Visitor cache (whole answers to signed-out readers)', () => {
  let env: IdentityTestApp;
  let member: SignedInClient;
  let boardId: string;
  let threadId: string;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      PUBLIC_READ: 'true',
      VISITOR_CACHE_MS: '60000',
      // The visitor cache alone: members' pages computed from the store every time.
      FEED_PAGE_CACHE_MS: '0',
      RATE_LIMIT_MAX: String(BUDGET),
    });
    await createGeneralBoard(env.admin);
    member = await signUpMember(env.app, env.smtp);
    expect(
      (await verifyEmployer(env.app, env.smtp, member, 'peter@initech.example')).errors,
    ).toBeUndefined();
    boardId = (await member.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
      .data!.board.id;
    threadId = (await post('first thread')).data!.createThread.thread.id;
  });
  afterAll(async () => env.close());

  const post = (title: string) =>
    member.gql<{ createThread: { thread: { id: string } } }>(
      'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } } }',
      { b: boardId, t: title },
    );
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
