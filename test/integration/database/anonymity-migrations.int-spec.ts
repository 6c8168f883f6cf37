import type { DataSource, MigrationInterface } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { ContentIdempotencyPerTarget1795737600300 } from '../../../src/infrastructure/database/migrations/content/1795737600300-content-idempotency-per-target';
import { ContentThreadHandles1795737600301 } from '../../../src/infrastructure/database/migrations/content/1795737600301-content-thread-handles';
import { ContentAuthorJurisdictionNotices1795737600302 } from '../../../src/infrastructure/database/migrations/content/1795737600302-content-author-jurisdiction-notices';
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
      // better-sqlite3 binds no booleans.
      const values = Object.values(row).map((v) =>
        typeof v === 'boolean' && !onPostgres() ? Number(v) : v,
      );
      await store.query(
        `INSERT INTO ${table(name)} (${columns.join(', ')}) VALUES (${marks.join(', ')})`,
        values,
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
      insert,
      thread: (row: PostRow, boardId = BOARD) =>
        insert('threads', { ...post(row), board_id: boardId, title: 't' }),
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

  it("drops the jurisdiction and rule from notices that named the author's jurisdiction", async () => {
    const store = await before(ContentAuthorJurisdictionNotices1795737600302);
    const DE_BOARD = 'b1000000-0000-4000-8000-000000000000';
    const DE_THREAD = 't1000000-0000-4000-8000-000000000000';
    await store.insert('boards', {
      id: DE_BOARD,
      slug: 'berlin',
      name: 'Berlin',
      kind: 'PUBLIC',
      jurisdiction: 'DE',
      created_at: 0,
    });
    await store.thread({ id: THREAD, handle: 'Quiet Otter', token: 'a1' }); // on the US board
    await store.comment({ id: 'c1', handle: 'Brave Heron', token: 'a2' });
    await store.thread({ id: DE_THREAD, handle: 'Quiet Otter', token: 'a3' }, DE_BOARD);
    const notice = (id: string, contentId: string, jurisdiction: string, action: string) =>
      store.insert('content_notices', {
        id,
        content_id: contentId,
        jurisdiction,
        rule_id: `rule-${jurisdiction}-${action}`,
        rule_name: `${jurisdiction} ${action} rule`,
        action,
        legal_basis: `${jurisdiction} law`,
        explanation: `${jurisdiction} explains`,
        created_at: 0,
      });
    // US board: a CN HOLD can only have governed as the author's; US's own, CN's WITHHOLD
    // and FLAG say nothing of the author.
    await notice('n1', THREAD, 'CN', 'HOLD');
    await notice('n2', THREAD, 'US', 'HOLD');
    await notice('n3', THREAD, 'CN', 'WITHHOLD');
    await notice('n4', THREAD, 'CN', 'FLAG');
    await notice('n5', 'c1', 'US-CA', 'REDACT'); // a subdivision the US board is not in
    // DE board: the EU governs as DE's group; FR only as the author's.
    await notice('n6', DE_THREAD, 'EU', 'REDACT');
    await notice('n7', DE_THREAD, 'FR', 'HOLD');
    await store.insert('review_items', {
      id: 'i1',
      content_id: THREAD,
      content_kind: 'THREAD',
      thread_id: THREAD,
      board_id: BOARD,
      board_kind: 'PUBLIC',
      jurisdiction: 'US',
      kind: 'RULE_HOLD',
      status: 'PENDING',
      in_queue: true,
      priority: 3,
      report_score: 0,
      reasons: JSON.stringify([
        { kind: 'RULE_HOLD', summary: 'CN: CN explains', ruleName: 'CN HOLD rule', count: 1 },
        { kind: 'RULE_HOLD', summary: 'US: US explains', ruleName: 'US HOLD rule', count: 1 },
      ]),
      version: 1,
      hidden_by_reports: false,
      created_at: 0,
      updated_at: 0,
    });
    await store.insert('review_events', {
      id: 'e1',
      item_id: 'i1',
      at: 0,
      action: 'created',
      note: 'HOLD by CN "CN HOLD rule", US "US HOLD rule"; withheld in CN',
    });

    const after = await store.migrateTheRest();
    const notices = await after.select<Record<string, string>>(
      (t) =>
        `SELECT id, jurisdiction, rule_id, rule_name, legal_basis FROM ${t('content_notices')} ORDER BY id`,
    );
    const anonymous = {
      jurisdiction: '',
      rule_id: '',
      rule_name: "a rule of the author's jurisdiction",
      legal_basis: '',
    };
    const kept = (jurisdiction: string, action: string) => ({
      jurisdiction,
      rule_id: `rule-${jurisdiction}-${action}`,
      rule_name: `${jurisdiction} ${action} rule`,
      legal_basis: `${jurisdiction} law`,
    });
    expect(notices).toEqual([
      { id: 'n1', ...anonymous },
      { id: 'n2', ...kept('US', 'HOLD') },
      { id: 'n3', ...kept('CN', 'WITHHOLD') },
      { id: 'n4', ...kept('CN', 'FLAG') },
      { id: 'n5', ...anonymous },
      { id: 'n6', ...kept('EU', 'REDACT') },
      { id: 'n7', ...anonymous },
    ]);
    const [item] = await after.select<{ reasons: string }>(
      (t) => `SELECT reasons FROM ${t('review_items')}`,
    );
    expect(JSON.parse(item.reasons)).toEqual([
      {
        kind: 'RULE_HOLD',
        summary: expect.stringContaining("Held for review under a rule of the author's"),
        ruleName: "a rule of the author's jurisdiction",
        count: 1,
      },
      { kind: 'RULE_HOLD', summary: 'US: US explains', ruleName: 'US HOLD rule', count: 1 },
    ]);
    expect(await after.select((t) => `SELECT note FROM ${t('review_events')}`)).toEqual([
      { note: `HOLD by a rule of the author's jurisdiction, US "US HOLD rule"; withheld in CN` },
    ]);
  });
});
