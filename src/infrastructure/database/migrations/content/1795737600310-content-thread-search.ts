import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createThreadSearchSql,
  dropThreadSearchSql,
  rebuildThreadSearch,
} from '../../../../posts/thread-search.index';

/**
 * The thread search index (content store; docs/discussions.md, "Search"; docs/anonymity.md,
 * "Search index"): per thread not deleted its id and the tokens of its title and body, and
 * the full-text index over them (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL).
 * Filled from the threads already stored; `npm run cli -- rebuild-search-index` writes it
 * again from the threads at any time.
 */
export class ContentThreadSearch1795737600310 implements MigrationInterface {
  name = 'ContentThreadSearch1795737600310';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of createThreadSearchSql(queryRunner)) await queryRunner.query(sql);
    await rebuildThreadSearch(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of dropThreadSearchSql(queryRunner)) await queryRunner.query(sql);
  }
}
