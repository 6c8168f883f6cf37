import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Follows (content store; ThreadFollowEntity): a keyed follow token, the thread and a sealed
 * reference of the follower; no account id, no time. On SQLite without rowid, so the file's
 * order follows the token, not the order of following.
 */
export class ContentThreadFollows1795737600330 implements MigrationInterface {
  name = 'ContentThreadFollows1795737600330';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'thread_follows',
        withoutRowid: queryRunner.connection.options.type !== 'postgres',
        columns: [
          { name: 'follow_token', type: 'varchar', length: '64', isPrimary: true },
          { name: 'thread_id', type: 'varchar', length: '36' },
          { name: 'sealed_ref', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'idx_thread_follows_thread', columnNames: ['thread_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('thread_follows');
  }
}
