import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/**
 * Erases the text of threads and comments their authors deleted before deletion erased it
 * (content store): the API has always shown them empty, but the rows kept the title and body.
 * A thread keeps an empty title and body, a comment an empty body, as a deletion now writes them
 * (ERASED_THREAD, ERASED_COMMENT). There is no way back: `down` does nothing.
 */
export class ContentEraseDeletedText1795737600100 implements MigrationInterface {
  name = 'ContentEraseDeletedText1795737600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { options } = queryRunner.connection;
    const table = (name: string) => storeTable(queryRunner.connection, name);
    const deleted = options.type === 'postgres' ? '$1' : '?';
    await queryRunner.query(
      `UPDATE ${table('threads')} SET title = '', body = '' WHERE status = ${deleted} AND (title <> '' OR body <> '')`,
      ['DELETED'],
    );
    await queryRunner.query(
      `UPDATE ${table('comments')} SET body = '' WHERE status = ${deleted} AND body <> ''`,
      ['DELETED'],
    );
  }

  async down(): Promise<void> {
    // The text is gone; there is nothing to restore.
  }
}
