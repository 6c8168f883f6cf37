import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const logger = new Logger('Erasure');

/**
 * Tries of the checkpoint after an erasure, ERASURE_CHECKPOINT_PAUSE_MS apart. A truncating
 * checkpoint does not wait for one already running (SqliteCheckpointer's thread runs one every
 * 200 ms, for a few milliseconds): it reports "busy" at once, and is tried again.
 */
export const ERASURE_CHECKPOINT_TRIES = 40;
export const ERASURE_CHECKPOINT_PAUSE_MS = 25;

/**
 * After an erasure has committed (an account deleted, a post's text wiped): on SQLite, copies
 * the write-ahead log into the database file and truncates it (`wal_checkpoint(TRUNCATE)`), so
 * the old page images that still held the erased rows leave the WAL file; with
 * `secure_delete` on, the database file itself keeps zeros where they were. A checkpoint that
 * finds another running (the checkpointing thread's) is tried again; one that readers still
 * keep from finishing after every try is logged, and the next erasure's truncates the file.
 * PostgreSQL has no equivalent (docs/anonymity.md, "Residue").
 */
export async function flushErasure(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'better-sqlite3') return;
  try {
    for (let tried = 1; ; tried++) {
      const [result] = await dataSource.query<Array<{ busy: number }>>(
        'PRAGMA wal_checkpoint(TRUNCATE)',
      );
      if (result === undefined || Number(result.busy) === 0) return;
      if (tried === ERASURE_CHECKPOINT_TRIES) break;
      await sleep(ERASURE_CHECKPOINT_PAUSE_MS);
    }
    logger.warn({ msg: 'The checkpoint after an erasure could not finish; readers were busy' });
  } catch (error: unknown) {
    logger.warn({
      msg: 'The checkpoint after an erasure failed',
      err: error instanceof Error ? error.name : typeof error,
    });
  }
}
