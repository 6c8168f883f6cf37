import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { ContentIdempotencyPerTarget1795737600300 } from '../../../src/infrastructure/database/migrations/content/1795737600300-content-idempotency-per-target';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';

/**
 * Idempotency tokens stored under the old scheme (keyed by account and clientMutationId
 * alone) link every post where one member reused a value; the migration to per-target tokens
 * drops them (docs/anonymity.md).
 */
describe('Migration to per-target idempotency tokens', () => {
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

  it('clears the tokens of threads and comments stored before it', async () => {
    const options = storeOptions(config, 'content');
    const all = MIGRATIONS.content;
    const at = all.indexOf(ContentIdempotencyPerTarget1795737600300);
    expect(at).toBeGreaterThan(0);

    const before = await openStore({
      ...options,
      migrations: all.slice(0, at),
    });
    opened.push(before);
    const table = (name: string) => {
      const schema = onPostgres() ? (before.options as { schema: string }).schema : undefined;
      return (schema === undefined ? [name] : [schema, name])
        .map((part) => before.driver.escape(part))
        .join('.');
    };
    const marks = (n: number) =>
      Array.from({ length: n }, (_, i) => (onPostgres() ? `$${i + 1}` : '?')).join(', ');
    const shared = 'the-same-token-on-both-rows';
    await before.query(
      `INSERT INTO ${table('boards')} (id, slug, name, kind, jurisdiction, company_id, created_at) VALUES (${marks(7)})`,
      ['b0000000-0000-4000-8000-000000000000', 'general', 'General', 'PUBLIC', 'US', null, 0],
    );
    await before.query(
      `INSERT INTO ${table('threads')} (id, board_id, title, body, author_handle, author_label, author_token, sealed_ref, status, created_at, idempotency_key) VALUES (${marks(11)})`,
      [
        't0000000-0000-4000-8000-000000000000',
        'b0000000-0000-4000-8000-000000000000',
        'title',
        'body',
        'Quiet Otter',
        'a verified employee',
        'author-token',
        'sealed-ref',
        'PUBLISHED',
        0,
        shared,
      ],
    );
    await before.query(
      `INSERT INTO ${table('comments')} (id, thread_id, parent_id, body, author_handle, author_label, author_token, sealed_ref, status, created_at, idempotency_key) VALUES (${marks(11)})`,
      [
        'c0000000-0000-4000-8000-000000000000',
        't0000000-0000-4000-8000-000000000000',
        null,
        'body',
        'Quiet Otter',
        'a verified employee',
        'author-token',
        'sealed-ref',
        'PUBLISHED',
        0,
        shared,
      ],
    );
    await before.destroy();
    opened.pop();

    const after = await openStore(options);
    opened.push(after);
    for (const name of ['threads', 'comments']) {
      const rows = await after.query<Array<{ idempotency_key: string | null }>>(
        `SELECT idempotency_key FROM ${table(name)}`,
      );
      expect(rows).toEqual([{ idempotency_key: null }]);
    }
  });
});
