import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { flushErasure } from '../../../src/infrastructure/database/erasure';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';
import { waitFor } from '../../utils/wait';

/*
 * Another connection's checkpoint, on a thread of its own (as SqliteCheckpointer's): a FULL
 * checkpoint holds the checkpoint lock while it waits for a reader of an older snapshot.
 */
const CHECKPOINT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 60000 });
db.pragma('wal_checkpoint(FULL)');
db.close();
parentPort.postMessage('done');
`;

/**
 * The checkpoint after an erasure truncates the WAL even when it first finds another
 * checkpoint running: SQLite answers "busy" at once then (it waits for no checkpoint), and
 * the erasure's page images would stay in the WAL file until the next erasure.
 */
(onPostgres() ? describe.skip : describe)('flushErasure beside another checkpoint', () => {
  const current = storesPerTest();
  let content: DataSource;

  beforeEach(async () => {
    content = await openStore(storeOptions(current.config, 'content'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await content.destroy();
  });

  it('tries again until it has truncated the WAL', async () => {
    const file = String(content.options.database);
    await content.query('CREATE TABLE erasure_probe (id INTEGER PRIMARY KEY, filler TEXT)');
    await content.query('INSERT INTO erasure_probe (filler) VALUES (?)', ['x'.repeat(5000)]);

    // A reader of this snapshot, then a write after it: a FULL checkpoint waits for the reader.
    const reader = new Database(file, { fileMustExist: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM erasure_probe').get();
    await content.query('INSERT INTO erasure_probe (filler) VALUES (?)', ['y'.repeat(5000)]);

    const other = new Worker(CHECKPOINT_SOURCE, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3') },
    });
    const otherDone = new Promise<void>((resolve, reject) => {
      other.once('message', () => resolve());
      other.once('error', reject);
    });
    // The other checkpoint holds the lock once a passive one from here finds it taken.
    const probe = new Database(file, { fileMustExist: true, timeout: 0 });
    await waitFor('the other checkpoint to hold the lock', () => {
      const [row] = probe.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number }>;
      return row.busy === 1;
    });
    probe.close();

    const answers: number[] = [];
    const query = content.query.bind(content);
    jest.spyOn(content, 'query').mockImplementation(async (sql: string, ...rest: unknown[]) => {
      const rows = await query<Array<{ busy: number }>>(sql, ...(rest as []));
      answers.push(Number(rows[0]?.busy));
      if (answers.length === 1) {
        // Found busy: the reader goes, the other checkpoint finishes, then this one tries again.
        reader.prepare('COMMIT').run();
        await otherDone;
      }
      return rows;
    });

    await flushErasure(content);
    reader.close();

    expect(answers[0]).toBe(1);
    expect(answers.at(-1)).toBe(0);
    expect(statSync(`${file}-wal`).size).toBe(0);
  });
});
