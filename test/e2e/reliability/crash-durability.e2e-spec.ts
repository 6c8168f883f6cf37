import type { Agent } from 'node:http';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource, IsNull } from 'typeorm';
import { OutboxEventEntity } from '../../../src/infrastructure/events/outbox-event.entity';
import { ReviewIntake } from '../../../src/moderation/review-intake.service';
import { ReviewItemEntity } from '../../../src/moderation/review.entity';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import { createTestApp, type TestApp } from '../../utils/test-app';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import {
  keepAliveAgent,
  killServer,
  postGraphql,
  serverEnv,
  startServer,
  type RawAnswer,
  type ServerProcess,
} from '../../utils/server-process';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';
import {
  NO_RATE_LIMITS,
  prepareForum,
  type ForumWorld,
  HELD_WORD_RULE,
  HOLD_WORD,
} from './forum-world';
import { checkStoreInvariants, openStores } from './store-invariants';
import { waitFor } from '../../utils/wait';

const CREATE_THREAD = `mutation ($input: CreateThreadInput!) {
  createThread(input: $input) { clientMutationId thread { id title body commentCount status author { handle employerLabel isOriginalPoster isViewer } } }
}`;
const CREATE_COMMENT = `mutation ($input: CreateCommentInput!) {
  createComment(input: $input) { clientMutationId comment { id body status thread { id } author { handle isViewer } } }
}`;
const THREAD = `query ($id: ID!) { thread(id: $id) {
  id title body status commentCount author { handle employerLabel isOriginalPoster isViewer }
  comments(first: 100) { edges { node { id body author { handle } } } }
} }`;

interface Attempt {
  client: number;
  kind: 'thread' | 'comment';
  input: Record<string, unknown>;
  /** The created post's id when the server acknowledged the create (200, no errors). */
  id?: string;
  /** The thread a comment went to. */
  threadId?: string;
  /** The status the create answered with (HELD for the hold word). */
  status?: string;
  failure?: string;
}

const ACKS_BEFORE_KILL = 40;
/** Burst, kill and restart cycles on the same data (CRASH_ROUNDS for a longer run). */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 1);
/** Every fourth thread of the burst holds this word: a HOLD rule keeps it for a moderator. */

/**
 * SIGKILL in the middle of a burst of idempotent creates (project issue 9), on the store the
 * environment selects (SQLite files, or fresh PostgreSQL schemas with DATABASE_URL): after a
 * restart on the same data, every acknowledged create is there, whole, nothing is half
 * written, counts add up, and a retry with the same clientMutationId returns the first answer
 * (or, for a create whose answer was lost, creates it exactly once).
 */
describe(`Crash durability: SIGKILL mid-burst on ${onPostgres() ? 'PostgreSQL' : 'SQLite'}`, () => {
  let stores: TestStores;
  let world: ForumWorld;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    stores = createTestStores();
    world = await prepareForum(stores, 4, [HELD_WORD_RULE]);
  }, 120_000);
  afterAll(async () => {
    await killServer(server);
    await stores.dispose();
  });

  it('puts a held post whose review item a crash lost back in the queue on restart (regression)', async () => {
    // The review item is made after the post's transaction commits, from the review request
    // the transaction wrote to the outbox: a crash in between leaves the post held and the
    // request pending. Simulated here by a handler that fails until the app stops.
    const gql = <T>(app: TestApp, token: string, query: string, variables = {}) =>
      dataOf(app.gql<T>(query, variables, { authorization: `Bearer ${token}` }));
    let postId = '';
    const first = await createTestApp(NO_RATE_LIMITS, [], stores);
    try {
      const fromRule = jest
        .spyOn(first.app.get(ReviewIntake), 'fromRule')
        .mockRejectedValue(new Error('the process died before the item was made'));
      const created = await gql<{ createThread: { thread: { id: string; status: string } } }>(
        first,
        world.members[0].token,
        'mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id status } } }',
        { i: { boardId: world.boardId, title: 'Lost review', body: `Please ${HOLD_WORD}` } },
      );
      expect(created.createThread.thread.status).toBe('HELD');
      postId = created.createThread.thread.id;
      await waitFor('a failed attempt at the review item', () => fromRule.mock.calls.length > 0);
      const items = first.app
        .get<DataSource>(getDataSourceToken(CONTENT_STORE))
        .getRepository(ReviewItemEntity);
      expect(await items.findBy({ contentId: postId })).toEqual([]);
    } finally {
      await first.close();
    }
    const second = await createTestApp(NO_RATE_LIMITS, [], stores);
    try {
      type Queue = {
        reviewQueue: { edges: Array<{ node: { kind: string; content: { id?: string } } }> };
      };
      const kinds = await waitFor('the recovered review item in the queue', async () => {
        const queue = await gql<Queue>(
          second,
          world.admin.token,
          '{ reviewQueue(first: 100) { edges { node { kind content { ... on Thread { id } } } } } }',
        );
        const found = queue.reviewQueue.edges
          .filter((e) => e.node.content.id === postId)
          .map((e) => e.node.kind);
        return found.length > 0 ? found : undefined;
      });
      expect(kinds).toEqual(['RULE_HOLD']);
      const content = second.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
      const identity = second.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
      expect(await checkStoreInvariants({ identity, content })).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it(
    'keeps every acknowledged create whole and answers retries with the first answer',
    async () => {
      for (let round = 1; round <= ROUNDS; round++) await crashRound(round);
    },
    // A lease the killed process held runs out after 30 s on PostgreSQL (OutboxDispatcher).
    120_000 * ROUNDS,
  );

  /** One burst, SIGKILL, restart and check, on the data of the rounds before. */
  const crashRound = async (round: number): Promise<void> => {
    const env = serverEnv(stores.env, NO_RATE_LIMITS);
    server = await startServer(env);
    let agent: Agent = keepAliveAgent(16);
    const auth = (client: number) => ({
      authorization: `Bearer ${world.members[client].token}`,
    });
    const send = (url: string, attempt: Attempt): Promise<RawAnswer> =>
      postGraphql(
        url,
        agent,
        attempt.kind === 'thread' ? CREATE_THREAD : CREATE_COMMENT,
        { input: attempt.input },
        auth(attempt.client),
      ).answer;
    const createdId = (answer: RawAnswer, kind: Attempt['kind']): string | undefined => {
      if (answer.status !== 200 || answer.body.errors !== undefined) return undefined;
      const data = answer.body.data as Record<
        string,
        { thread?: { id: string }; comment?: { id: string } }
      >;
      return kind === 'thread' ? data.createThread?.thread?.id : data.createComment?.comment?.id;
    };

    // Threads to comment on, acknowledged before the burst.
    const seeds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const seed: Attempt = {
        client: i,
        kind: 'thread',
        input: {
          boardId: world.boardId,
          title: `Seed ${round}-${i}`,
          body: 'Seed',
          clientMutationId: `seed-${round}-${i}`,
        },
      };
      const id = createdId(await send(server.url, seed), 'thread');
      expect(id).toBeDefined();
      seeds.push(id!);
    }

    // The burst: 4 members, 4 requests in flight each, until SIGKILL.
    const attempts: Attempt[] = [];
    let killed = false;
    let acks = 0;
    const { url } = server;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      server!.child.kill('SIGKILL');
    };
    const lane = async (client: number, lane: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const key = `r${round}-c${client}-l${lane}-${i}`;
        const attempt: Attempt =
          i % 3 === 2
            ? {
                client,
                kind: 'comment',
                threadId: seeds[(client + i) % seeds.length],
                input: {
                  threadId: seeds[(client + i) % seeds.length],
                  body: `Comment ${key}`,
                  clientMutationId: key,
                },
              }
            : {
                client,
                kind: 'thread',
                input: {
                  boardId: world.boardId,
                  title: `Burst ${key}`,
                  body: `Body of ${key}${' words'.repeat(i % 50)}${i % 4 === 0 ? ` ${HOLD_WORD}` : ''}`,
                  clientMutationId: key,
                  disclosure: i % 2 === 0 ? 'NONE' : 'COMPANY',
                },
              };
        attempts.push(attempt);
        try {
          const answer = await send(url, attempt);
          attempt.id = createdId(answer, attempt.kind);
          if (attempt.id === undefined) attempt.failure = JSON.stringify(answer.body.errors);
          else if ((acks += 1) >= ACKS_BEFORE_KILL) kill();
        } catch (error) {
          attempt.failure = (error as Error).message;
        }
      }
    };
    await Promise.all([0, 1, 2, 3].flatMap((client) => [0, 1, 2, 3].map((l) => lane(client, l))));
    const exit = await server.exited;
    agent.destroy();
    expect(exit.signal).toBe('SIGKILL');
    const acknowledged = attempts.filter((a) => a.id !== undefined);
    const lost = attempts.filter((a) => a.id === undefined);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    // Every create before the kill was acknowledged: the only failures are the cut connections.
    for (const a of lost) expect(a.failure).toMatch(/ECONNRESET|socket hang up|ECONNREFUSED|EPIPE/);

    // Restart on the same data.
    agent = keepAliveAgent(8);
    server = await startServer(env);
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);

    // Every acknowledged create is there, whole, for its author.
    for (const a of acknowledged.filter((x) => x.kind === 'thread')) {
      const answer = await postGraphql(server.url, agent, THREAD, { id: a.id }, auth(a.client))
        .answer;
      expect(answer.body.errors).toBeUndefined();
      const thread = (answer.body.data as { thread: Record<string, unknown> | null }).thread;
      expect(thread).toMatchObject({
        id: a.id,
        title: a.input.title,
        body: a.input.body,
        status: (a.input.body as string).includes(HOLD_WORD) ? 'HELD' : 'PUBLISHED',
        author: { isOriginalPoster: true, isViewer: true },
      });
      expect((thread!.author as { handle: string }).handle).toMatch(/^\S+ \S+/);
    }
    for (const seedId of seeds) {
      const answer = await postGraphql(server.url, agent, THREAD, { id: seedId }, auth(0)).answer;
      const thread = (
        answer.body.data as {
          thread: { commentCount: number; comments: { edges: Array<{ node: { id: string } }> } };
        }
      ).thread;
      const shown = new Set(thread.comments.edges.map((e) => e.node.id));
      for (const a of acknowledged.filter((x) => x.kind === 'comment' && x.threadId === seedId))
        expect(shown).toContain(a.id);
      expect(thread.commentCount).toBe(thread.comments.edges.length);
    }

    // What the store holds of the creates whose answer was cut off: committed or not, never twice.
    const countRows = async (opened: Awaited<ReturnType<typeof openStores>>, a: Attempt) =>
      a.kind === 'thread'
        ? opened.content.getRepository(ThreadEntity).countBy({ title: a.input.title as string })
        : opened.content.getRepository(CommentEntity).countBy({ body: a.input.body as string });
    const before = await openStores(stores.env);
    let committedUnanswered = 0;
    try {
      for (const a of acknowledged) expect(await countRows(before, a)).toBe(1);
      for (const a of lost) {
        const count = await countRows(before, a);
        expect(count).toBeLessThanOrEqual(1);
        committedUnanswered += count;
      }
    } finally {
      await before.close();
    }

    // Retries with the same clientMutationId: the first answer for acknowledged creates, and
    // exactly one row for creates whose answer the kill cut off (whether or not they committed).
    for (const a of attempts) {
      const answer = await send(server.url, a);
      const id = createdId(answer, a.kind);
      expect({ retry: a.input.clientMutationId, errors: answer.body.errors }).toEqual({
        retry: a.input.clientMutationId,
        errors: undefined,
      });
      if (a.id !== undefined) expect(id).toBe(a.id);
      else a.id = id;
    }
    const opened = await openStores(stores.env);
    try {
      // Review requests of held posts (the killed process's among them, whose leases run out
      // on PostgreSQL) are handled before the queue is checked.
      await waitFor(
        'the pending review requests to be handled',
        async () =>
          (await opened.content
            .getRepository(OutboxEventEntity)
            .countBy({ failedAt: IsNull() })) === 0,
        { limitMs: 60_000 },
      );
      for (const a of attempts) {
        const count = await countRows(opened, a);
        expect({ key: a.input.clientMutationId, count }).toEqual({
          key: a.input.clientMutationId,
          count: 1,
        });
      }
      expect(await checkStoreInvariants(opened)).toEqual([]);
    } finally {
      await opened.close();
      agent.destroy();
    }
    await killServer(server);
    process.stdout.write(
      `crash durability (${onPostgres() ? 'PostgreSQL' : 'SQLite'}, round ${round}): ${acknowledged.length} acknowledged, ${lost.length} cut off by SIGKILL (${committedUnanswered} of them committed), all retried after restart: one row each\n`,
    );
  };
});
