import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Polls in threads (content store; docs/discussions.md, "Polls"; docs/anonymity.md, "Polls"):
 * a thread's poll, its options with their counts, and the votes, one row per chosen option,
 * keyed by the poll, a keyed voter token and the option — no time, no account. On SQLite
 * `poll_votes` is WITHOUT ROWID, so the file's order follows the token, not the order of votes.
 */
export class ContentPolls1795737600320 implements MigrationInterface {
  name = 'ContentPolls1795737600320';

  async up(queryRunner: QueryRunner): Promise<void> {
    const withoutRowid = queryRunner.connection.options.type !== 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'polls',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'thread_id', type: 'varchar', length: '36' },
          { name: 'question', type: 'varchar', length: '1200' },
          { name: 'multiple_choice', type: 'boolean' },
          { name: 'closes_at', type: 'bigint', isNullable: true },
          { name: 'voter_count', type: 'integer' },
          { name: 'close_announced', type: 'boolean' },
        ],
        indices: [
          new TableIndex({ name: 'idx_polls_thread', columnNames: ['thread_id'], isUnique: true }),
          new TableIndex({
            name: 'idx_polls_closing',
            columnNames: ['close_announced', 'closes_at'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'poll_options',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'poll_id', type: 'varchar', length: '36' },
          { name: 'position', type: 'integer' },
          { name: 'text', type: 'varchar', length: '600' },
          { name: 'votes', type: 'integer' },
        ],
        indices: [
          new TableIndex({
            name: 'idx_poll_options_poll',
            columnNames: ['poll_id', 'position'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'poll_votes',
        withoutRowid,
        columns: [
          { name: 'poll_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'voter_token', type: 'varchar', length: '64', isPrimary: true },
          { name: 'option_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_poll_votes_voter_token', columnNames: ['voter_token'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('poll_votes');
    await queryRunner.dropTable('poll_options');
    await queryRunner.dropTable('polls');
  }
}
