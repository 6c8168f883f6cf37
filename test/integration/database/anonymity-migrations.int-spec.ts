import type { DataSource, MigrationInterface } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { ContentIdempotencyPerTarget1795737600300 } from '../../../src/infrastructure/database/migrations/content/1795737600300-content-idempotency-per-target';
import { ContentThreadHandles1795737600301 } from '../../../src/infrastructure/database/migrations/content/1795737600301-content-thread-handles';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';

const BOARD = 'b0000000-0000-4000-8000-000000000000';
const THREAD = 't0000000-0000-4000-8000-000000000000';

interface PostRow {
  id: string;
  handle: string;
  token: string;
  key?: string | null;
}

/**
 * Migrations that change what the content store keeps about authors, each checked on rows
 * written before it (docs/anonymity.md): idempotency tokens of the old scheme are dropped, and
 * the handles authors already carry fill the table that keeps handles unique in a thread.
 */
describe('Content migrations for anonymity', () => {
  let stores: TestStores;
  let config: AppConfig;
  const opened: DataSource[] = [];

  beforeEach(() => {
    stores = createTestStores();
    config = AppConfig.fromEnv(stores.env);
  });
  afterEach(async () => {
    for (const dataSource of opened.splice(0)) await dataSource.destroy();
    await stores.dispose();
  });

  /** The content store as it was before `migration`, a helper to write raw rows, and the rest. */
  async function before(migration: new () => MigrationInterface) {
    const options = storeOptions(config, 'content');
    const all = MIGRATIONS.content;
    const at = all.indexOf(migration);
    expect(at).toBeGreaterThan(0);
    const store = await openStore({ ...options, migrations: all.slice(0, at) });
    opened.push(store);
    const table = (name: string) => {
      const schema = onPostgres() ? (store.options as { schema: string }).schema : undefined;
      return (schema === undefined ? [name] : [schema, name])
        .map((part) => store.driver.escape(part))
        .join('.');
    };
    const insert = async (name: string, row: Record<string, unknown>) => {
      const columns = Object.keys(row);
      const marks = columns.map((_, i) => (onPostgres() ? `$${i + 1}` : '?'));
      await store.query(
        `INSERT INTO ${table(name)} (${columns.join(', ')}) VALUES (${marks.join(', ')})`,
        Object.values(row),
      );
    };
    const post = (row: PostRow) => ({
      id: row.id,
      body: 'body',
      author_handle: row.handle,
      author_label: 'a verified employee',
      author_token: row.token,
      sealed_ref: `sealed-${row.id}`,
      status: 'PUBLISHED',
      created_at: 0,
      idempotency_key: row.key ?? null,
    });
    await insert('boards', {
      id: BOARD,
      slug: 'general',
      name: 'General',
      kind: 'PUBLIC',
      jurisdiction: 'US',
      created_at: 0,
    });
    return {
      thread: (row: PostRow) => insert('threads', { ...post(row), board_id: BOARD, title: 't' }),
      comment: (row: PostRow) => insert('comments', { ...post(row), thread_id: THREAD }),
      async migrateTheRest() {
        await store.destroy();
        opened.splice(opened.indexOf(store), 1);
        const after = await openStore(options);
        opened.push(after);
        return {
          select: <T>(sql: (t: typeof table) => string) => after.query<T[]>(sql(table)),
        };
      },
    };
  }

  it('clears the idempotency tokens of threads and comments stored before per-target tokens', async () => {
    const store = await before(ContentIdempotencyPerTarget1795737600300);
    const shared = 'the-same-token-on-both-rows';
    await store.thread({ id: THREAD, handle: 'Quiet Otter', token: 'author-1', key: shared });
    await store.comment({ id: 'c1', handle: 'Quiet Otter', token: 'author-1', key: shared });
    const after = await store.migrateTheRest();
    for (const name of ['threads', 'comments']) {
      expect(await after.select((t) => `SELECT idempotency_key FROM ${t(name)}`)).toEqual([
        { idempotency_key: null },
      ]);
    }
  });

  it('records the handles authors carry in each thread, one author per handle', async () => {
    const store = await before(ContentThreadHandles1795737600301);
    await store.thread({ id: THREAD, handle: 'Quiet Otter', token: 'author-1' });
    await store.comment({ id: 'c1', handle: 'Quiet Otter', token: 'author-1' });
    await store.comment({ id: 'c2', handle: 'Brave Heron', token: 'author-2' });
    await store.comment({ id: 'c3', handle: 'Brave Heron', token: 'author-2' });
    // Given the same handle as author-1 before handles were unique.
    await store.comment({ id: 'c4', handle: 'Quiet Otter', token: 'author-3' });
    const after = await store.migrateTheRest();
    const rows = await after.select<{ thread_id: string; handle: string; author_token: string }>(
      (t) => `SELECT thread_id, handle, author_token FROM ${t('thread_handles')} ORDER BY handle`,
    );
    expect(rows).toEqual([
      { thread_id: THREAD, handle: 'Brave Heron', author_token: 'author-2' },
      { thread_id: THREAD, handle: 'Quiet Otter', author_token: 'author-1' },
    ]);
  });
});
