import { DataSource } from 'typeorm';
import { storeOptions } from '../../../src/store-entities';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { migrate, openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { StoreInfoEntity } from '../../../src/infrastructure/database/store-info.entity';
import { STORES } from '../../../src/infrastructure/database/stores';
import { onPostgres, storesPerTest } from '../../utils/test-env';

describe('Store migrations', () => {
  const current = storesPerTest();

  it.each(STORES)('creates the %s store from nothing and marks it', async (store) => {
    const dataSource = await openStore(storeOptions(current.config, store));
    try {
      const marker = await dataSource.getRepository(StoreInfoEntity).findOneBy({ key: 'store' });
      expect(marker?.value).toBe(store);
      expect(await dataSource.showMigrations()).toBe(false);
      const applied: unknown[] = await dataSource.query(
        `SELECT * FROM ${dataSource.driver.escape(dataSource.options.type === 'postgres' ? `${(dataSource.options as { schema: string }).schema}` : 'main')}.${dataSource.driver.escape('migrations')}`,
      );
      expect(applied).toHaveLength(MIGRATIONS[store].length);
    } finally {
      await dataSource.destroy();
    }
  });

  it('applies nothing twice: a second run is a no-op', async () => {
    const first = await openStore(storeOptions(current.config, 'content'));
    await first.destroy();
    const second = new DataSource(storeOptions(current.config, 'content'));
    await second.initialize();
    try {
      expect(await migrate(second)).toEqual([]);
    } finally {
      await second.destroy();
    }
  });

  it('applies each migration once when several instances start at the same time', async () => {
    const opened = await Promise.all(
      [1, 2, 3].map(() => openStore(storeOptions(current.config, 'identity'))),
    );
    try {
      const rows = await opened[0].getRepository(StoreInfoEntity).findBy({ key: 'store' });
      expect(rows).toHaveLength(1);
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
    }
  });

  (onPostgres() ? it.skip : it)('turns on WAL and a busy timeout on SQLite', async () => {
    const dataSource = await openStore(storeOptions(current.config, 'content'));
    try {
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  (onPostgres() ? it : it.skip)(
    'keeps the two current.stores in two PostgreSQL schemas',
    async () => {
      const identity = await openStore(storeOptions(current.config, 'identity'));
      const content = await openStore(storeOptions(current.config, 'content'));
      try {
        const schemas = await identity.query<Array<{ table_schema: string }>>(
          `SELECT table_schema FROM information_schema.tables WHERE table_name = 'store_info' AND table_schema IN ($1, $2) ORDER BY 1`,
          [current.config.DATABASE_IDENTITY_SCHEMA, current.config.DATABASE_CONTENT_SCHEMA],
        );
        expect(schemas.map((s) => s.table_schema).sort()).toEqual(
          [current.config.DATABASE_CONTENT_SCHEMA, current.config.DATABASE_IDENTITY_SCHEMA].sort(),
        );
      } finally {
        await identity.destroy();
        await content.destroy();
      }
    },
  );
});
