import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { TransactionRunner } from '../../../src/infrastructure/database/transaction-runner';
import { createTestStores, type TestStores } from '../../utils/test-env';

describe('TransactionRunner', () => {
  let stores: TestStores;
  let identity: DataSource;
  let content: DataSource;
  let sut: TransactionRunner;

  beforeAll(async () => {
    stores = createTestStores();
    const config = AppConfig.fromEnv(stores.env);
    identity = await openStore(storeOptions(config, 'identity'));
    content = await openStore(storeOptions(config, 'content'));
    sut = new TransactionRunner(identity, content);
  });
  afterAll(async () => {
    await identity.destroy();
    await content.destroy();
    await stores.dispose();
  });

  const keys = async (dataSource: DataSource, prefix: string): Promise<string[]> =>
    (await dataSource.getRepository(StoreInfoEntity).find())
      .map((row) => row.key)
      .filter((key) => key.startsWith(prefix))
      .sort();

  it('runs 100 overlapping write transactions on both stores without a single failure', async () => {
    const work = Array.from({ length: 100 }, (_, i) =>
      sut.run(i % 2 === 0 ? 'content' : 'identity', async (manager) => {
        await manager.insert(StoreInfoEntity, { key: `concurrent-${i}`, value: 'a' });
        await new Promise((resolve) => setImmediate(resolve)); // yield mid-transaction
        await manager.update(StoreInfoEntity, { key: `concurrent-${i}` }, { value: 'b' });
        return i;
      }),
    );
    const results = await Promise.allSettled(work);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await keys(content, 'concurrent-')).toHaveLength(50);
    expect(await keys(identity, 'concurrent-')).toHaveLength(50);
    const values = (await content.getRepository(StoreInfoEntity).find()).filter((r) =>
      r.key.startsWith('concurrent-'),
    );
    expect(values.every((r) => r.value === 'b')).toBe(true);
  });

  it('rolls back everything a failed transaction wrote, leaving no half-written rows', async () => {
    await expect(
      sut.run('content', async (manager) => {
        await manager.insert(StoreInfoEntity, { key: 'half-1', value: 'x' });
        await manager.insert(StoreInfoEntity, { key: 'half-2', value: 'x' });
        throw new Error('fails after two writes');
      }),
    ).rejects.toThrow('fails after two writes');
    expect(await keys(content, 'half-')).toEqual([]);
  });

  it('keeps other transactions going while one fails', async () => {
    const results = await Promise.allSettled([
      sut.run('content', async (manager) => {
        await manager.insert(StoreInfoEntity, { key: 'mixed-bad', value: 'x' });
        throw new Error('boom');
      }),
      sut.run('content', (manager) =>
        manager.insert(StoreInfoEntity, { key: 'mixed-good', value: 'x' }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await keys(content, 'mixed-')).toEqual(['mixed-good']);
  });

  it('lets a nested call for the same store join the enclosing transaction', async () => {
    await expect(
      sut.run('content', async (outer) => {
        await outer.insert(StoreInfoEntity, { key: 'nested-outer', value: 'x' });
        await sut.run('content', (inner) =>
          inner.insert(StoreInfoEntity, { key: 'nested-inner', value: 'x' }),
        );
        throw new Error('undo both');
      }),
    ).rejects.toThrow('undo both');
    expect(await keys(content, 'nested-')).toEqual([]);
  });
});
