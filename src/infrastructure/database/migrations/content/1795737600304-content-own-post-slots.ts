import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The index of members' own posts (content store; docs/anonymity.md, "Own posts"): a keyed
 * slot token per post and the post's id, nothing else. On SQLite without rowid, so the file's
 * order follows the token, not the order posts were written. Posts stored before it have no
 * slot (nothing in the content store can tell whose they are without the key).
 */
export class ContentOwnPostSlots1795737600304 implements MigrationInterface {
  name = 'ContentOwnPostSlots1795737600304';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'own_post_slots',
        withoutRowid: queryRunner.connection.options.type !== 'postgres',
        columns: [
          { name: 'slot_token', type: 'varchar', length: '64', isPrimary: true },
          { name: 'post_id', type: 'varchar', length: '36' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('own_post_slots');
  }
}
