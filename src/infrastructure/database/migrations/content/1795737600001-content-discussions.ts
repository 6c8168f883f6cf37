import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
const instant = (name: string) => ({ name, type: 'bigint' });
const nullableInstant = (name: string) => ({ name, type: 'bigint', isNullable: true });
const count = (name: string) => ({ name, type: 'integer', default: 0 });
const text = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });
/** Keyed tokens are base64url HMAC-SHA256 (43 characters). */
const token = (name: string) => ({ name, type: 'varchar', length: '64' });
const status = () => ({ name: 'status', type: 'varchar', length: '16' });
/** Per-person columns of a post: a handle, a label, keyed tokens and a sealed reference — never an account id. */
const authorColumns = () => [
  text('author_handle', 64),
  text('author_label', 200),
  token('author_token'),
  text('sealed_ref', 255),
];
const idempotencyKey = () => ({
  name: 'idempotency_key',
  type: 'varchar',
  length: '64',
  isNullable: true,
  isUnique: true,
});

/**
 * Boards, threads, comments and votes (content store). Nothing here names an account: authors
 * appear as stored handles and labels, keyed tokens and sealed references (docs/anonymity.md).
 * The feed indexes serve keyset pagination for every ThreadOrder (docs/discussions.md).
 */
export class ContentDiscussions1795737600001 implements MigrationInterface {
  name = 'ContentDiscussions1795737600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'boards',
        columns: [
          id(),
          { ...text('slug', 80), isUnique: true },
          text('name', 120),
          text('kind', 16),
          text('jurisdiction', 16),
          { ...ref('company_id'), isNullable: true, isUnique: true },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'threads',
        columns: [
          id(),
          ref('board_id'),
          text('title', 800),
          { name: 'body', type: 'text' },
          ...authorColumns(),
          status(),
          count('score'),
          count('comment_count'),
          { name: 'hot_rank', type: 'double precision', default: 0 },
          instant('created_at'),
          nullableInstant('edited_at'),
          idempotencyKey(),
        ],
        foreignKeys: [
          {
            columnNames: ['board_id'],
            referencedTableName: 'boards',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({
            name: 'idx_threads_feed_new',
            columnNames: ['board_id', 'status', 'created_at', 'id'],
          }),
          new TableIndex({
            name: 'idx_threads_feed_top',
            columnNames: ['board_id', 'status', 'score', 'id'],
          }),
          new TableIndex({
            name: 'idx_threads_feed_hot',
            columnNames: ['board_id', 'status', 'hot_rank', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'comments',
        columns: [
          id(),
          ref('thread_id'),
          { ...ref('parent_id'), isNullable: true },
          { name: 'body', type: 'text' },
          ...authorColumns(),
          status(),
          count('score'),
          instant('created_at'),
          nullableInstant('edited_at'),
          idempotencyKey(),
        ],
        foreignKeys: [
          {
            columnNames: ['thread_id'],
            referencedTableName: 'threads',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          // Deleted comments stay in the list as tombstones (their replies keep their context),
          // so the list is (thread, time) with status as a residual filter.
          new TableIndex({
            name: 'idx_comments_thread_time',
            columnNames: ['thread_id', 'created_at', 'id'],
          }),
          new TableIndex({
            name: 'idx_comments_thread_status',
            columnNames: ['thread_id', 'status', 'created_at', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'votes',
        columns: [
          { ...ref('target_id'), isPrimary: true },
          { ...token('voter_token'), isPrimary: true },
          { name: 'value', type: 'integer' },
        ],
        indices: [new TableIndex({ name: 'idx_votes_voter_token', columnNames: ['voter_token'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['votes', 'comments', 'threads', 'boards']) {
      await queryRunner.dropTable(table);
    }
  }
}
