import { AfterLoad, Column, DataSource, Entity, In, PrimaryColumn } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import {
  checkSqlShapes,
  findOfShape,
  ofShape,
  withoutLoadListeners,
} from '../../../src/infrastructure/database/sql-shapes';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { OutboxEventEntity } from '../../../src/infrastructure/events/outbox-event.entity';
import { createTestStores, type TestStores } from '../../utils/test-env';

/** An entity with an `@AfterLoad` listener, for a store of its own. */
@Entity({ name: 'loaded_notes' })
class LoadedNote {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  text!: string;

  loaded = false;

  @AfterLoad()
  markLoaded(): void {
    this.loaded = true;
  }
}

/**
 * Named query shapes (sql-shapes.ts): the SQL text of a shape is written once per store and
 * reused; what comes back is what the same query without a name gives; a name used for two
 * texts is caught while checking (on in every test run), and missed when not.
 */
describe('SQL text kept per query shape', () => {
  let stores: TestStores;
  let content: DataSource;
  let identity: DataSource;
  let shapeNumber = 0;
  /** A name no other test has used (the texts live as long as the store). */
  const newShape = () => `test.shape.${++shapeNumber}`;

  beforeAll(async () => {
    stores = createTestStores();
    const config = AppConfig.fromEnv(stores.env);
    content = await openStore(storeOptions(config, 'content'));
    identity = await openStore(storeOptions(config, 'identity'));
    await content.getRepository(OutboxEventEntity).insert(
      [1, 2, 3].map((n) => ({
        id: `shape-${n}`,
        type: 'review.requested',
        handler: 'test.shapes',
        payload: { n },
        notBefore: new Date(n * 1_000),
        attempts: n,
        claimedUntil: null,
        failedAt: null,
      })),
    );
  });
  afterAll(async () => {
    checkSqlShapes(true);
    await content.destroy();
    await identity.destroy();
    await stores.dispose();
  });

  const byAttempts = (shape: string, attempts: number, limit: number) =>
    ofShape(
      content
        .getRepository(OutboxEventEntity)
        .createQueryBuilder('e')
        .where('e.handler = :handler', { handler: 'test.shapes' })
        .andWhere('e.attempts >= :attempts', { attempts })
        .orderBy('e.id', 'ASC')
        .limit(limit),
      shape,
    );

  it('answers as the same query without a name, with each call its own parameters', async () => {
    const shape = newShape();
    const plain = await content
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .where('e.handler = :handler', { handler: 'test.shapes' })
      .andWhere('e.attempts >= :attempts', { attempts: 2 })
      .orderBy('e.id', 'ASC')
      .limit(5)
      .getMany();
    expect(await byAttempts(shape, 2, 5).getMany()).toEqual(plain);
    // Later calls use the kept text with their own values.
    const third = await byAttempts(shape, 3, 5).getMany();
    expect(third.map((e) => [e.id, e.attempts, e.notBefore.getTime(), e.payload])).toEqual([
      ['shape-3', 3, 3_000, { n: 3 }],
    ]);
    expect((await byAttempts(shape, 1, 5).getMany()).map((e) => e.id)).toEqual([
      'shape-1',
      'shape-2',
      'shape-3',
    ]);
  });

  it('reuses the first text written under a name: two texts under one name are caught while checking', async () => {
    const shape = newShape();
    await byAttempts(shape, 1, 5).getMany();
    // The LIMIT is written into the text: another limit under the same name is another text.
    checkSqlShapes(false);
    try {
      // Unchecked, the kept text (LIMIT 5) is used: all three rows, not two.
      expect(await byAttempts(shape, 1, 2).getMany()).toHaveLength(3);
    } finally {
      checkSqlShapes(true);
    }
    await expect(byAttempts(shape, 1, 2).getMany()).rejects.toThrow(
      `SQL shape "${shape}" was written as two texts`,
    );
  });

  it("counts a find option's In([...]) length in the shape (one placeholder per value)", async () => {
    const shape = newShape();
    const withIds = (ids: string[]) =>
      findOfShape(content.manager, OutboxEventEntity, shape, { where: { id: In(ids) } });
    expect(await withIds(['shape-1', 'shape-2'])).toHaveLength(2);
    expect(await withIds(['shape-2', 'shape-3'])).toHaveLength(2);
    await expect(withIds(['shape-1', 'shape-2', 'shape-3'])).rejects.toThrow('two texts');
  });

  it('keeps a text per store under the same name', async () => {
    const shape = newShape();
    const outbox = await findOfShape(content.manager, OutboxEventEntity, shape, {
      where: { handler: 'test.shapes', id: In(['shape-1', 'shape-3']) },
      order: { id: 'ASC' },
    });
    expect(outbox.map((e) => e.id)).toEqual(['shape-1', 'shape-3']);
    await identity.getRepository(StoreInfoEntity).insert({ key: 'shape-key', value: 'v' });
    try {
      const info = await findOfShape(identity.manager, StoreInfoEntity, shape, {
        where: { key: 'shape-key' },
      });
      expect(info).toEqual([{ key: 'shape-key', value: 'v' }]);
    } finally {
      await identity.getRepository(StoreInfoEntity).delete({ key: 'shape-key' });
    }
  });

  it("skips TypeORM's after-load broadcast on the server's stores, which have nothing listening", async () => {
    expect(withoutLoadListeners(content)).toBe(true);
    expect(withoutLoadListeners(identity)).toBe(true);
    const named = byAttempts(newShape(), 1, 5);
    expect(named.expressionMap.callListeners).toBe(false);
    expect(await named.getMany()).toHaveLength(3);
  });

  it('keeps the after-load broadcast on a store whose entity listens', async () => {
    const store = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [LoadedNote],
      synchronize: true,
    });
    await store.initialize();
    try {
      await store.getRepository(LoadedNote).insert({ id: 'n1', text: 'kept' });
      expect(withoutLoadListeners(store)).toBe(false);
      const [note] = await ofShape(
        store.getRepository(LoadedNote).createQueryBuilder('n').where('n.id = :id', { id: 'n1' }),
        newShape(),
      ).getMany();
      expect(note).toMatchObject({ id: 'n1', text: 'kept', loaded: true });
    } finally {
      await store.destroy();
    }
  });

  it('leaves a clone of a named query to write its own text', async () => {
    const shape = newShape();
    const named = byAttempts(shape, 1, 5);
    await named.getMany();
    const clone = named.clone().limit(1);
    expect(await clone.getMany()).toHaveLength(1);
    expect(clone.getQuery()).not.toBe(named.getQuery());
  });
});
