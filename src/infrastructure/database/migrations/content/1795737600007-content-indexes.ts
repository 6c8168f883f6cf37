import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Posts by status, oldest first (content store; plans in docs/postgresql-plans.md). Two reads
 * go through all posts of a status rather than one board's or one thread's: the retroactive
 * application of a rule set walks PUBLISHED threads, then comments, by (created_at, id) in
 * batches, and the start-up scan for lost review requests looks for HELD posts. The feed and
 * comment indexes lead with the board or the thread, so without these both read the whole
 * table — for every batch of the walk. (thread.entity.ts and comment.entity.ts declare the
 * same indexes with `@Index`.)
 */
export class ContentIndexes1795737600007 implements MigrationInterface {
  name = 'ContentIndexes1795737600007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'threads',
      new TableIndex({
        name: 'idx_threads_status_time',
        columnNames: ['status', 'created_at', 'id'],
      }),
    );
    await queryRunner.createIndex(
      'comments',
      new TableIndex({
        name: 'idx_comments_status_time',
        columnNames: ['status', 'created_at', 'id'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('comments', 'idx_comments_status_time');
    await queryRunner.dropIndex('threads', 'idx_threads_status_time');
  }
}
