import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { ContentThreadSearch1795737600310 } from '../../../src/infrastructure/database/migrations/content/1795737600310-content-thread-search';
import { storeTable } from '../../../src/infrastructure/database/migrations/store-table';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';

/** The search index migration fills the index from the threads already stored, deleted ones left out. */
describe('Thread search migration', () => {
  const current = storesPerTest();

  it('indexes every thread not deleted, with the tokens of its title and body', async () => {
    const all = MIGRATIONS.content;
    const before = all.slice(0, all.indexOf(ContentThreadSearch1795737600310));
    const old = await openStore({ ...storeOptions(current.config, 'content'), migrations: before });
    const p = (n: number) => (onPostgres() ? `$${n}` : '?');
    try {
      const threads = storeTable(old, 'threads');
      await old.query(
        `INSERT INTO ${storeTable(old, 'boards')} (id, slug, name, kind, jurisdiction, company_id, created_at)
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, NULL, ${p(6)})`,
        ['b1', 'general', 'General', 'PUBLIC', 'US', 1],
      );
      const rows: Array<[string, string, string, string]> = [
        ['t1', 'Overtime PAY', '我們公司的薪水不錯', 'PUBLISHED'],
        ['t2', 'Held one', 'Some words', 'HELD'],
        ['t3', '', '', 'DELETED'],
      ];
      for (const [id, title, body, status] of rows) {
        await old.query(
          `INSERT INTO ${threads} (id, board_id, title, body, author_handle, author_label, author_token,
             sealed_ref, status, score, comment_count, hot_rank, created_at)
           VALUES (${[...Array(13).keys()].map((i) => p(i + 1)).join(', ')})`,
          [id, 'b1', title, body, 'Quiet Otter', 'a label', 'tok', 'v1.x', status, 0, 0, 0, 1],
        );
      }
    } finally {
      await old.destroy();
    }

    const migrated: DataSource = await openStore(storeOptions(current.config, 'content'));
    try {
      const indexed: Array<{ thread_id: string; tokens: string }> = await migrated.query(
        `SELECT thread_id, tokens FROM ${storeTable(migrated, 'thread_search')} ORDER BY thread_id`,
      );
      expect(indexed).toEqual([
        { thread_id: 't1', tokens: 'overtime pay 我们 公司 的 薪水 不错' },
        { thread_id: 't2', tokens: 'held one some words' },
      ]);
      const match = onPostgres()
        ? `SELECT thread_id FROM ${storeTable(migrated, 'thread_search')} WHERE document @@ CAST($1 AS tsquery)`
        : `SELECT s.thread_id FROM thread_search_fts f JOIN thread_search s ON s.doc_id = f.rowid WHERE thread_search_fts MATCH ?`;
      const found = await migrated.query<Array<{ thread_id: string }>>(match, [
        onPostgres() ? "'薪水' & 'pay'" : '"薪水" AND "pay"',
      ]);
      expect(found.map((r) => r.thread_id)).toEqual(['t1']);
    } finally {
      await migrated.destroy();
    }
  });
});
