import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { TransactionRunner } from '../../../src/infrastructure/database/transaction-runner';
import type { ReviewRequested } from '../../../src/infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../../../src/infrastructure/events/domain-events';
import {
  DEFAULT_OUTBOX_OPTIONS,
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
