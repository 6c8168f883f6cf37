import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import {
  TransactionRunner,
  touchesNothing,
} from '../../../src/infrastructure/database/transaction-runner';
import type { ReviewRequested } from '../../../src/infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../../../src/infrastructure/events/domain-events';
import {
  DEFAULT_OUTBOX_OPTIONS,
  type MixingOptions,
  OutboxDispatcher,
} from '../../../src/infrastructure/events/outbox-dispatcher';
import { OutboxEventEntity } from '../../../src/infrastructure/events/outbox-event.entity';
import { MetricsService } from '../../../src/infrastructure/metrics/metrics.service';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';
import { waitFor } from '../../utils/wait';

const request = (contentId: string): ReviewRequested => ({
  contentId,
  contentKind: 'THREAD',
  kind: 'RULE_HOLD',
  summary: 'HOLD by US "Held"',
  notices: [],
});

/**
 * The outbox on a real store (SQLite, or PostgreSQL with DATABASE_URL): events are written in
 * the publisher's transaction, delivered after it commits, retried after a failure, and
 * handled once when two dispatchers look at the same rows.
 */
describe(`Domain events through the outbox on ${onPostgres() ? 'PostgreSQL' : 'SQLite'}`, () => {
  let stores: TestStores;
  let identity: DataSource;
  let content: DataSource;
  let transactions: TransactionRunner;
  let sut: DomainEvents;
  const handled: string[] = [];
  /** Content ids whose handler fails, with the failures still to come. */
  const failures = new Map<string, number>();

  const outbox = () => content.getRepository(OutboxEventEntity);
  const publish = (contentId: string, work?: () => Promise<void>) =>
    transactions.run(CONTENT_STORE, async (manager) => {
      await manager.insert(StoreInfoEntity, { key: `post-${contentId}`, value: 'x' });
      await sut.publish(manager, { type: 'review.requested', payload: request(contentId) });
      await work?.();
    });

  beforeAll(async () => {
    stores = createTestStores();
    const config = AppConfig.fromEnv(stores.env);
    identity = await openStore(storeOptions(config, 'identity'));
    content = await openStore(storeOptions(config, 'content'));
    transactions = new TransactionRunner(identity, content);
    sut = new DomainEvents(transactions, new MetricsService());
    sut.handle('review.requested', 'test.review', async ({ contentId }) => {
      const left = failures.get(contentId) ?? 0;
      if (left > 0) {
        failures.set(contentId, left - 1);
        throw new Error('handler failed');
      }
      // The post the event announces is committed by the time the handler runs.
      const post = await content.getRepository(StoreInfoEntity).findOneBy({
        key: `post-${contentId}`,
      });
      if (post === null) throw new Error('delivered before its transaction committed');
      handled.push(contentId);
    });
    await sut.onApplicationBootstrap();
  });
  afterAll(async () => {
    await sut.onModuleDestroy();
    await identity.destroy();
    await content.destroy();
    await stores.dispose();
  });

  it('delivers an event once its transaction has committed, and deletes its row', async () => {
    await publish('committed-1');
    await waitFor('the event to be handled', () => handled.includes('committed-1'));
    await waitFor('its row to be deleted', async () => (await outbox().count()) === 0);
    expect(handled.filter((id) => id === 'committed-1')).toHaveLength(1);
  });

  it('writes nothing and delivers nothing when the transaction rolls back', async () => {
    await expect(
      publish('rolled-back', () => Promise.reject(new Error('the change fails'))),
    ).rejects.toThrow('the change fails');
    expect(await outbox().count()).toBe(0);
    // An event published after it is delivered; the rolled-back one never is.
    await publish('after-rollback');
    await waitFor('the next event to be handled', () => handled.includes('after-rollback'));
    await sut.idle();
    expect(handled).not.toContain('rolled-back');
  });

  it('retries a failed handler while running, and keeps the row until it succeeds', async () => {
    failures.set('flaky', 1);
    await publish('flaky');
    const retrying = await waitFor('the failed attempt to be put back', async () => {
      const row = await outbox().findOneBy({ type: 'review.requested' });
      return row !== null && row.attempts === 1 && row.claimedUntil === null ? row : undefined;
    });
    expect(retrying.failedAt).toBeNull();
    expect(retrying.notBefore.getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect(retrying.payload).toEqual(request('flaky'));
    await waitFor('the retry to succeed', () => handled.includes('flaky'));
    await waitFor('the row to be deleted', async () => (await outbox().count()) === 0);
    expect(failures.get('flaky')).toBe(0);
  });

  it('hands each row to one of two dispatchers looking at the same store', async () => {
    const seen = new Map<string, number>();
    const handlers = {
      names: () => ['test.lease'],
      get: () => async (payload: unknown) => {
        const { contentId } = payload as ReviewRequested;
        seen.set(contentId, (seen.get(contentId) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve)); // let the other one try meanwhile
      },
      batchNames: () => [],
      getBatch: () => undefined,
    };
    const logger = new Logger('test');
    const [first, second] = [1, 2].map(
      () =>
        new OutboxDispatcher(CONTENT_STORE, transactions, handlers, logger, {
          ...DEFAULT_OUTBOX_OPTIONS,
          batch: 7,
        }),
    );
    await first.start();
    await second.start();
    try {
      // Rows for a handler of their own (a second DomainEvents, not started, only writes).
      const writer = new DomainEvents(transactions, new MetricsService());
      writer.handle('review.requested', 'test.lease', () => Promise.resolve());
      const ids = Array.from({ length: 30 }, (_, i) => `lease-${i}`);
      await transactions.run(CONTENT_STORE, async (manager) => {
        for (const id of ids)
          await writer.publish(manager, { type: 'review.requested', payload: request(id) });
      });
      first.kick();
      second.kick();
      await waitFor('every row to be delivered', async () => {
        await Promise.all([first.idle(), second.idle()]);
        return (await outbox().countBy({ handler: 'test.lease' })) === 0;
      });
      expect([...seen.keys()].sort()).toEqual([...ids].sort());
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  describe('mixed batches', () => {
    /** A second DomainEvents with one mixed handler; `batches` gets what each delivery held. */
    const mixer = (name: string, mixing: MixingOptions) => {
      const events = new DomainEvents(transactions, new MetricsService());
      const batches: string[][] = [];
      events.handleMixed('review.requested', name, mixing, (payloads) => {
        batches.push(payloads.map((p) => p.contentId));
        return Promise.resolve();
      });
      const publishTo = (contentId: string) =>
        transactions.run(CONTENT_STORE, (manager) =>
          events.publish(manager, { type: 'review.requested', payload: request(contentId) }),
        );
      return { events, batches, publishTo };
    };

    it('holds events until a batch is full, then hands them over at once in random order', async () => {
      const { events, batches, publishTo } = mixer('test.mixed-full', {
        windowMs: 0,
        minBatch: 20,
        maxWaitMs: 3_600_000,
      });
      await events.onApplicationBootstrap();
      try {
        const ids = Array.from({ length: 20 }, (_, i) => `mixed-${i}`);
        for (const id of ids.slice(0, 19)) await publishTo(id);
        await events.idle();
        expect(batches).toEqual([]);
        expect(await outbox().countBy({ handler: 'test.mixed-full' })).toBe(19);
        await publishTo(ids[19]);
        await waitFor('the batch to go out', () => batches.length === 1);
        expect([...batches[0]].sort()).toEqual([...ids].sort());
        // Shuffled: the publication order comes back with probability 1/20!.
        expect(batches[0]).not.toEqual(ids);
        await waitFor(
          'its rows to be deleted',
          async () => (await outbox().countBy({ handler: 'test.mixed-full' })) === 0,
        );
      } finally {
        await events.onModuleDestroy();
      }
    });

    it('sends a batch that stays small once its oldest event has waited long enough', async () => {
      const { events, batches, publishTo } = mixer('test.mixed-late', {
        windowMs: 0,
        minBatch: 5,
        maxWaitMs: 300,
      });
      await events.onApplicationBootstrap();
      try {
        const start = Date.now();
        await publishTo('late-1');
        await publishTo('late-2');
        await waitFor('the small batch to go out', () => batches.length === 1);
        expect(Date.now() - start).toBeGreaterThanOrEqual(290);
        expect([...batches[0]].sort()).toEqual(['late-1', 'late-2']);
      } finally {
        await events.onModuleDestroy();
      }
    });

    it("gives every event of a window the window's end as its only time", async () => {
      const { events, publishTo } = mixer('test.mixed-window', {
        windowMs: 60_000,
        minBatch: 1,
        maxWaitMs: 0,
      });
      const before = Date.now();
      await publishTo('window-1');
      await publishTo('window-2');
      const rows = await outbox().findBy({ handler: 'test.mixed-window' });
      const times = new Set(rows.map((row) => row.notBefore.getTime()));
      const [time] = [...times];
      // Unless the two fell either side of a boundary (then two ends, both on minutes).
      expect(times.size).toBeLessThanOrEqual(2);
      for (const t of times) expect(t % 60_000).toBe(0);
      expect(time).toBeGreaterThan(before);
      await outbox().delete({ handler: 'test.mixed-window' });
      await events.onModuleDestroy();
    });

    it('does not look for due rows when the events it writes fall due later', async () => {
      const name = 'test.mixed-later';
      const { events, batches, publishTo } = mixer(name, {
        windowMs: 3_600_000,
        minBatch: 1,
        maxWaitMs: 0,
      });
      await events.onApplicationBootstrap();
      await events.idle();
      const queries = jest.spyOn(content.logger, 'logQuery');
      try {
        for (let i = 0; i < 5; i++) await publishTo(`later-${i}`);
        await events.idle();
        // A look for due rows of a mixed handler reads their payloads.
        const looks = queries.mock.calls.filter(
          ([sql, parameters]) =>
            sql.startsWith('SELECT') &&
            sql.includes('payload') &&
            Array.isArray(parameters) &&
            (parameters as unknown[]).includes(name),
        );
        expect(looks).toEqual([]);
        expect(batches).toEqual([]);
        expect(await outbox().countBy({ handler: name })).toBe(5);
      } finally {
        queries.mockRestore();
        await outbox().delete({ handler: name });
        await events.onModuleDestroy();
      }
    });

    it('moves its next look forward to the end of the window of an event it writes', async () => {
      const { events, batches, publishTo } = mixer('test.mixed-wake', {
        windowMs: 200,
        minBatch: 1,
        maxWaitMs: 0,
      });
      await events.onApplicationBootstrap();
      try {
        // With nothing due, the look after the start set the next one `pollMs` later.
        await events.idle();
        const published = Date.now();
        await publishTo('wake-1');
        await waitFor('the batch to go out', () => batches.length === 1);
        // At the window's end, not at that next look.
        expect(Date.now() - published).toBeLessThan(DEFAULT_OUTBOX_OPTIONS.pollMs / 2);
        expect(batches[0]).toEqual(['wake-1']);
      } finally {
        await events.onModuleDestroy();
      }
    });

    it("claims a big batch's rows a chunk per statement, in turns of the event loop of their own", async () => {
      const size = 450;
      const { events, batches, publishTo } = mixer('test.mixed-claims', {
        windowMs: 0,
        minBatch: size,
        maxWaitMs: 3_600_000,
      });
      await events.onApplicationBootstrap();
      // Commits of the content store while the batch goes out, and the most in one turn of
      // the event loop: one claim per row would be 450 commits, all in one turn on SQLite.
      let counting = false;
      let commits = 0;
      let inThisTurn = 0;
      let most = 0;
      let declaredNothing = 0;
      transactions.onCommit((store, touched) => {
        if (!counting || store !== CONTENT_STORE) return;
        commits++;
        if (touchesNothing(touched)) declaredNothing++;
        inThisTurn++;
        most = Math.max(most, inThisTurn);
      });
      const tick = () => {
        inThisTurn = 0;
        if (counting) setImmediate(tick);
      };
      try {
        await transactions.run(CONTENT_STORE, async (manager) => {
          for (let i = 0; i < size - 1; i++)
            await events.publish(manager, {
              type: 'review.requested',
              payload: request(`claims-${i}`),
            });
        });
        await events.idle();
        expect(batches).toEqual([]);
        counting = true;
        setImmediate(tick);
        await publishTo(`claims-${size - 1}`);
        await waitFor('the batch to go out', () => batches.length === 1);
        await waitFor(
          'its rows to be deleted',
          async () => (await outbox().countBy({ handler: 'test.mixed-claims' })) === 0,
        );
        expect(new Set(batches[0]).size).toBe(size);
        // The publish, three claims of at most 200 rows, the delete: the dispatcher's four
        // declare that they touch nothing shown (no cache is dropped for them).
        expect(commits).toBe(5);
        expect(declaredNothing).toBe(4);
        expect(most).toBeLessThanOrEqual(2);
      } finally {
        counting = false;
        await outbox().delete({ handler: 'test.mixed-claims' });
        await events.onModuleDestroy();
      }
    });

    it('leaves out of a batch the rows another dispatcher holds', async () => {
      const { events, batches, publishTo } = mixer('test.mixed-held', {
        windowMs: 0,
        minBatch: 6,
        maxWaitMs: 3_600_000,
      });
      await events.onApplicationBootstrap();
      try {
        for (let i = 0; i < 5; i++) await publishTo(`held-${i}`);
        await events.idle();
        // Two rows claimed by a dispatcher elsewhere, whose lease still runs.
        const rows = await outbox().find({ where: { handler: 'test.mixed-held' }, take: 2 });
        const heldIds = rows.map((row) => row.id);
        await outbox().update(heldIds, {
          claimedUntil: new Date(Date.now() + 60_000),
          attempts: 1,
        });
        // Six due and not held, without them.
        for (let i = 5; i < 8; i++) await publishTo(`held-${i}`);
        await waitFor('the batch to go out', () => batches.length === 1);
        await events.idle();
        const heldContent = rows.map((row) => (row.payload as ReviewRequested).contentId);
        expect(batches[0]).toHaveLength(6);
        expect(batches[0].filter((id) => heldContent.includes(id))).toEqual([]);
        const left = await outbox().findBy({ handler: 'test.mixed-held' });
        expect(left.map((row) => row.id).sort()).toEqual([...heldIds].sort());
        expect(left.every((row) => row.attempts === 1)).toBe(true);
      } finally {
        await outbox().delete({ handler: 'test.mixed-held' });
        await events.onModuleDestroy();
      }
    });

    it('hands each row of a mixed batch to one of two dispatchers looking at the same store', async () => {
      const seen = new Map<string, number>();
      const handlers = {
        names: () => [],
        get: () => undefined,
        batchNames: () => ['test.mixed-race'],
        getBatch: () => ({
          mixing: { windowMs: 0, minBatch: 1, maxWaitMs: 0 },
          handle: (payloads: unknown[]) => {
            for (const payload of payloads) {
              const { contentId } = payload as ReviewRequested;
              seen.set(contentId, (seen.get(contentId) ?? 0) + 1);
            }
            return Promise.resolve();
          },
        }),
      };
      const [first, second] = [1, 2].map(
        () => new OutboxDispatcher(CONTENT_STORE, transactions, handlers, new Logger('test')),
      );
      const writer = new DomainEvents(transactions, new MetricsService());
      writer.handleMixed(
        'review.requested',
        'test.mixed-race',
        { windowMs: 0, minBatch: 1, maxWaitMs: 0 },
        () => Promise.resolve(),
      );
      const ids = Array.from({ length: 300 }, (_, i) => `race-${i}`);
      await transactions.run(CONTENT_STORE, async (manager) => {
        for (const id of ids)
          await writer.publish(manager, { type: 'review.requested', payload: request(id) });
      });
      await Promise.all([first.start(), second.start()]);
      try {
        await waitFor('every row to be delivered', async () => {
          await Promise.all([first.idle(), second.idle()]);
          return (await outbox().countBy({ handler: 'test.mixed-race' })) === 0;
        });
        expect([...seen.keys()].sort()).toEqual([...ids].sort());
        expect([...seen.values()].every((count) => count === 1)).toBe(true);
      } finally {
        await first.stop();
        await second.stop();
      }
    });

    it('renews the leases of a batch while its handler works, so no other dispatcher takes its rows', async () => {
      const leaseMs = 600;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const delivered: Array<{ by: string; ids: string[] }> = [];
      const handlersOf = (by: string) => ({
        names: () => [],
        get: () => undefined,
        batchNames: () => ['test.mixed-renew'],
        getBatch: () => ({
          mixing: { windowMs: 0, minBatch: 1, maxWaitMs: 0 },
          handle: async (payloads: unknown[]) => {
            delivered.push({ by, ids: payloads.map((p) => (p as ReviewRequested).contentId) });
            if (by === 'slow') await gate;
          },
        }),
      });
      const [slow, other] = ['slow', 'other'].map(
        (by) =>
          new OutboxDispatcher(CONTENT_STORE, transactions, handlersOf(by), new Logger('test'), {
            ...DEFAULT_OUTBOX_OPTIONS,
            leaseMs,
          }),
      );
      const writer = new DomainEvents(transactions, new MetricsService());
      writer.handleMixed(
        'review.requested',
        'test.mixed-renew',
        { windowMs: 0, minBatch: 1, maxWaitMs: 0 },
        () => Promise.resolve(),
      );
      const rows = () => outbox().findBy({ handler: 'test.mixed-renew' });
      await slow.start();
      try {
        await transactions.run(CONTENT_STORE, async (manager) => {
          for (let i = 0; i < 5; i++)
            await writer.publish(manager, {
              type: 'review.requested',
              payload: request(`renew-${i}`),
            });
        });
        slow.kick();
        await waitFor('the slow handler to hold the batch', () => delivered.length === 1);
        const firstLease = Math.max(...(await rows()).map((row) => row.claimedUntil!.getTime()));
        // Past the first lease's end, the rows are still held: their lease was renewed.
        await waitFor('the leases to be renewed past the first one', async () => {
          const now = Date.now();
          const held = await rows();
          return (
            now > firstLease + 50 &&
            held.length === 5 &&
            held.every((row) => (row.claimedUntil?.getTime() ?? 0) > now)
          );
        });
        if (onPostgres()) {
          // Another instance now looks (on SQLite one process serves the store, and a start
          // drops every lease as a dead process's).
          await other.start();
          await other.idle();
          expect(delivered).toHaveLength(1);
        }
        release();
        await waitFor('the batch to be done', async () => (await rows()).length === 0);
        const slowIds = delivered.filter((d) => d.by === 'slow').flatMap((d) => d.ids);
        expect(slowIds.sort()).toEqual(['renew-0', 'renew-1', 'renew-2', 'renew-3', 'renew-4']);
      } finally {
        release();
        await slow.stop();
        await other.stop();
        await outbox().delete({ handler: 'test.mixed-renew' });
      }
    });

    it('reads before delivery only the events published to be read so, however many wait', async () => {
      const { events, publishTo } = mixer('test.mixed-pending', {
        windowMs: 60_000,
        minBatch: 1,
        maxWaitMs: 0,
      });
      for (let i = 0; i < 30; i++) await publishTo(`waiting-${i}`);
      await transactions.run(CONTENT_STORE, (manager) =>
        events.publish(
          manager,
          { type: 'review.requested', payload: request('binding') },
          { readBeforeDelivery: true },
        ),
      );
      try {
        expect(await outbox().countBy({ handler: 'test.mixed-pending' })).toBe(31);
        const pending = await events.pending('review.requested');
        expect(pending.map((p) => p.contentId)).toEqual(['binding']);
      } finally {
        await outbox().delete({ handler: 'test.mixed-pending' });
        await events.onModuleDestroy();
      }
    });
  });

  it('leaves a row claimed by another dispatcher alone until its lease runs out', async () => {
    await sut.onModuleDestroy(); // this test's own dispatcher holds the rows instead
    const held = new OutboxDispatcher(
      CONTENT_STORE,
      transactions,
      {
        names: () => ['test.review'],
        get: () => () => Promise.resolve(),
        batchNames: () => [],
        getBatch: () => undefined,
      },
      new Logger('test'),
    );
    // A claim made by a dispatcher elsewhere whose lease is still running.
    await publish('leased');
    await outbox().update(
      { handler: 'test.review' },
      { claimedUntil: new Date(Date.now() + 60_000), attempts: 1 },
    );
    try {
      expect(await held.counts()).toEqual({ pending: 1, failed: 0 });
      if (onPostgres()) {
        // Several processes share PostgreSQL: the lease is respected.
        await held.start();
        await held.idle();
        expect(await outbox().countBy({ handler: 'test.review' })).toBe(1);
        expect(handled).not.toContain('leased');
        // Once it has run out, the row is taken over.
        await outbox().update({ handler: 'test.review' }, { claimedUntil: new Date(0) });
        held.kick();
      } else {
        // On SQLite one process serves the store: a lease at start-up is a dead process's.
        await held.start();
      }
      await waitFor(
        'the row to be delivered',
        async () => (await outbox().countBy({ handler: 'test.review' })) === 0,
      );
    } finally {
      await held.stop();
    }
  });
});
