import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { ReviewIntake } from '../../../src/moderation/review-intake.service';
import { ReviewItemEntity } from '../../../src/moderation/review.entity';
import { dataOf } from '../../utils/compliance-client';
import { outboxDrained, pendingEvents } from '../../utils/domain-events';
import { createTestApp, type TestApp } from '../../utils/test-app';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';
import { waitFor } from '../../utils/wait';
import {
  NO_RATE_LIMITS,
  prepareForum,
  type ForumWorld,
  HELD_WORD_RULE,
  HOLD_WORD,
} from './forum-world';

const CREATE_THREAD =
  'mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id status } } }';
const QUEUE =
  '{ reviewQueue(first: 100) { edges { node { kind content { ... on Thread { id } } } } } }';
type Queue = {
  reviewQueue: { edges: Array<{ node: { kind: string; content: { id?: string } } }> };
};

/**
 * Review requests travel as `review.requested` domain events through the content store's
 * outbox (docs/architecture.md, "Domain events"): a held post gets its review item even when
 * the handler making it fails, while the server runs. (After a stop before the item was made:
 * crash-durability.e2e-spec.ts.)
 */
describe(`Review requests through the outbox on ${onPostgres() ? 'PostgreSQL' : 'SQLite'}`, () => {
  let stores: TestStores;
  let world: ForumWorld;

  beforeAll(async () => {
    stores = createTestStores();
    world = await prepareForum(stores, 1, [HELD_WORD_RULE]);
  }, 120_000);
  afterAll(async () => stores.dispose());

  const gql = <T>(app: TestApp, token: string, query: string, variables = {}) =>
    dataOf(app.gql<T>(query, variables, { authorization: `Bearer ${token}` }));
  const postHeld = async (app: TestApp, title: string): Promise<string> => {
    const created = await gql<{ createThread: { thread: { id: string; status: string } } }>(
      app,
      world.members[0].token,
      CREATE_THREAD,
      { i: { boardId: world.boardId, title, body: `Please ${HOLD_WORD}` } },
    );
    expect(created.createThread.thread.status).toBe('HELD');
    return created.createThread.thread.id;
  };
  const queued = async (app: TestApp, postId: string): Promise<string[] | undefined> => {
    const queue = await gql<Queue>(app, world.admin.token, QUEUE);
    const kinds = queue.reviewQueue.edges
      .filter((e) => e.node.content.id === postId)
      .map((e) => e.node.kind);
    return kinds.length > 0 ? kinds : undefined;
  };

  it('queues a held post whose review handler failed once, without a restart', async () => {
    const app = await createTestApp(NO_RATE_LIMITS, [], stores);
    try {
      const moderation = app.app.get(ReviewIntake);
      const fromRule = jest
        .spyOn(moderation, 'fromRule')
        .mockRejectedValueOnce(new Error('review store unavailable'));
      const postId = await postHeld(app, 'Handler fails once');

      // The first delivery failed: the event waits in the outbox for its retry.
      await waitFor('the failed first delivery', () => fromRule.mock.calls.length >= 1);
      const waiting = await waitFor('the event waiting for its retry', async () => {
        const [row] = await pendingEvents(app.app);
        return row?.attempts === 1 && row.claimedUntil === null ? row : undefined;
      });
      expect(waiting).toMatchObject({ type: 'review.requested', failedAt: null });
      // Nothing in the row names the author: content id, kind, rule notices only.
      expect(Object.keys(waiting.payload as object).sort()).toEqual(
        ['contentId', 'contentKind', 'kind', 'notices', 'summary'].sort(),
      );

      // The retry, in the same process, makes the item.
      expect(await waitFor('the review item in the queue', () => queued(app, postId))).toEqual([
        'RULE_HOLD',
      ]);
      expect(fromRule).toHaveBeenCalledTimes(2);
      await outboxDrained(app.app);
      const items = await app.app
        .get<DataSource>(getDataSourceToken(CONTENT_STORE))
        .getRepository(ReviewItemEntity)
        .findBy({ contentId: postId });
      expect(items).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
