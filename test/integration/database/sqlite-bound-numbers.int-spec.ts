import type { DataSource } from 'typeorm';
import { MoreThan } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { OutboxEventEntity } from '../../../src/infrastructure/events/outbox-event.entity';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';

/**
 * Whole numbers are bound to SQLite statements, not written into them (sqlite-bound-numbers.ts):
 * a statement with a time in it is the same text on every call, and answers as before.
 */
(onPostgres() ? describe.skip : describe)('Whole numbers bound on SQLite', () => {
  let stores: TestStores;
  let content: DataSource;

  beforeAll(async () => {
    stores = createTestStores();
    content = await openStore(storeOptions(AppConfig.fromEnv(stores.env), 'content'));
  });
  afterAll(async () => {
    await content.destroy();
    await stores.dispose();
  });

  const dueAfter = (time: number) =>
    content
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .where({
        notBefore: MoreThan(new Date(time)),
      });

  it('keeps one statement text whatever the time, with the time as a parameter', () => {
    const [first, firstParameters] = dueAfter(1_000).getQueryAndParameters();
    const [second, secondParameters] = dueAfter(2_000).getQueryAndParameters();
    expect(second).toBe(first);
    expect(first).not.toContain('1000');
    expect(firstParameters).toEqual([1000n]);
    expect(secondParameters).toEqual([2000n]);
  });

  it('answers as the literal did: numbers compared as numbers, text compared as text', async () => {
    const row = (id: string, notBefore: number) => ({
      id,
      type: 'review.requested',
      handler: 'test.bound',
      payload: {},
      notBefore: new Date(notBefore),
      attempts: 0,
      claimedUntil: null,
      failedAt: null,
    });
    await content.getRepository(OutboxEventEntity).insert([row('a', 5_000), row('b', 50_000)]);
    await content.getRepository(StoreInfoEntity).insert({ key: 'bound-7', value: '7' });
    try {
      const due = await dueAfter(9_000).andWhere({ handler: 'test.bound' }).getMany();
      expect(due.map((e) => [e.id, e.notBefore.getTime(), e.attempts])).toEqual([['b', 50_000, 0]]);
      // A number compared with a text column matches its decimal text, as the literal did.
      const text = await content
        .getRepository(StoreInfoEntity)
        .createQueryBuilder('s')
        .where('s.value = :seven', { seven: 7 })
        .andWhere('s.key LIKE :prefix', { prefix: 'bound-%' })
        .getMany();
      expect(text.map((s) => s.key)).toEqual(['bound-7']);
    } finally {
      await content.getRepository(OutboxEventEntity).delete({ handler: 'test.bound' });
      await content.getRepository(StoreInfoEntity).delete({ key: 'bound-7' });
    }
  });
});
