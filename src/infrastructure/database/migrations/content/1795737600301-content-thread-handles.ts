import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Handles unique within a thread (content store; docs/anonymity.md, "Thread handles"): which
 * handle each author (by author token) carries in each thread, keyed by (thread, handle). It
 * holds only what the posts hold — no time, no account. Filled from the posts already stored:
 * per thread and handle one author token (where two people were given the same handle before,
 * one of them keeps it for new posts and the other is given a free one).
 */
export class ContentThreadHandles1795737600301 implements MigrationInterface {
  name = 'ContentThreadHandles1795737600301';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'thread_handles',
        columns: [
          { name: 'thread_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'handle', type: 'varchar', length: '64', isPrimary: true },
          { name: 'author_token', type: 'varchar', length: '64' },
        ],
        indices: [
          new TableIndex({
            name: 'idx_thread_handles_author',
            columnNames: ['thread_id', 'author_token'],
            isUnique: true,
          }),
        ],
      }),
    );
    const [handles, threads, comments] = ['thread_handles', 'threads', 'comments'].map((t) =>
      storeTable(queryRunner.connection, t),
    );
    // WHERE 1 = 1 lets SQLite read ON CONFLICT as the upsert clause, not as a join constraint.
    await queryRunner.query(
      `INSERT INTO ${handles} (thread_id, handle, author_token)
       SELECT p.thread_id, p.author_handle, MIN(p.author_token)
       FROM (
         SELECT id AS thread_id, author_handle, author_token FROM ${threads}
         UNION
         SELECT thread_id, author_handle, author_token FROM ${comments}
       ) p
       WHERE 1 = 1
       GROUP BY p.thread_id, p.author_handle
       ON CONFLICT DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('thread_handles');
  }
}
