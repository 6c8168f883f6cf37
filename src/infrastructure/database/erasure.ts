import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const logger = new Logger('Erasure');

/**
 * After an erasure has committed (an account deleted, a post's text wiped): on SQLite, copies
 * the write-ahead log into the database file and truncates it (`wal_checkpoint(TRUNCATE)`), so
 * the old page images that still held the erased rows leave the WAL file; with
 * `secure_delete` on, the database file itself keeps zeros where they were. Best effort: a
 * checkpoint that readers keep from finishing is logged and retried by SQLite's own next
 * checkpoints. PostgreSQL has no equivalent (docs/anonymity.md, "Residue").
 */
export async function flushErasure(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'better-sqlite3') return;
  try {
    const [result] = await dataSource.query<Array<{ busy: number }>>(
      'PRAGMA wal_checkpoint(TRUNCATE)',
    );
    if (result !== undefined && Number(result.busy) !== 0) {
      logger.warn({ msg: 'The checkpoint after an erasure could not finish; readers were busy' });
    }
  } catch (error: unknown) {
    logger.warn({
      msg: 'The checkpoint after an erasure failed',
      err: error instanceof Error ? error.name : typeof error,
    });
  }
}
