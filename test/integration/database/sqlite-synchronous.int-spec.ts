import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';

/** SQLITE_SYNCHRONOUS sets SQLite's `synchronous` pragma on every connection (docs/operations.md). */
(onPostgres() ? describe.skip : describe)('SQLITE_SYNCHRONOUS', () => {
  const current = storesPerTest();

  it.each([
    [undefined, 1],
    ['NORMAL', 1],
    ['full', 2],
  ])('%s gives synchronous = %d', async (value, expected) => {
    const config = AppConfig.fromEnv({
      ...current.stores.env,
      ...(value === undefined ? {} : { SQLITE_SYNCHRONOUS: value }),
    });
    const dataSource = await openStore(storeOptions(config, 'content'));
    try {
      const [row] = await dataSource.query<Array<{ synchronous: number }>>('PRAGMA synchronous');
      expect(row.synchronous).toBe(expected);
    } finally {
      await dataSource.destroy();
    }
  });
});
