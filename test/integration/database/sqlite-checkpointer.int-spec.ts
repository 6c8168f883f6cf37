import { statSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import {
  BACKSTOP_CHECKPOINT_PAGES,
  SqliteCheckpointer,
} from '../../../src/infrastructure/database/sqlite-checkpointer';
import { storeOptions } from '../../../src/store-entities';
import { onPostgres, storesPerTest } from '../../utils/test-env';
import { waitFor } from '../../utils/wait';

const PAGE = 4096;
const ROWS = 1500;

const autoCheckpoint = async (store: DataSource) =>
  Number(
    (await store.query<Array<{ wal_autocheckpoint: number }>>('PRAGMA wal_autocheckpoint'))[0]
      .wal_autocheckpoint,
  );

/**
 * WAL checkpoints run on a thread of their own (docs/performance.md): pages committed on the
 * request thread reach the database file without any commit there checkpointing.
 */
(onPostgres() ? describe.skip : describe)('SqliteCheckpointer', () => {
  const current = storesPerTest();
  let identity: DataSource;
  let content: DataSource;

  beforeEach(async () => {
    identity = await openStore(storeOptions(current.config, 'identity'));
    content = await openStore(storeOptions(current.config, 'content'));
  });

  afterEach(async () => {
    await identity.destroy();
    await content.destroy();
  });

  it('copies committed pages into the file from its own thread, then hands checkpoints back', async () => {
    const checkpointer = new SqliteCheckpointer(identity, content);
    await checkpointer.onApplicationBootstrap();
    try {
      // The request thread's own checkpoint is pushed out past what this test writes.
      expect(await autoCheckpoint(content)).toBe(BACKSTOP_CHECKPOINT_PAGES);
      expect(await autoCheckpoint(identity)).toBe(BACKSTOP_CHECKPOINT_PAGES);
      expect(ROWS * 2).toBeLessThan(BACKSTOP_CHECKPOINT_PAGES);

      const file = String(content.options.database);
      const before = statSync(file).size;
      await content.query('CREATE TABLE checkpoint_probe (id INTEGER PRIMARY KEY, filler BLOB)');
      for (let i = 0; i < ROWS; i += 100) {
        await content.transaction(async (manager) => {
          for (let j = i; j < i + 100; j++) {
            await manager.query('INSERT INTO checkpoint_probe (id, filler) VALUES (?, ?)', [
              j,
              Buffer.alloc(PAGE, j % 251),
            ]);
          }
        });
      }
      // Every row fills a page of its own: they are in the file once a checkpoint copied them.
      await waitFor('the checkpointing thread to copy the WAL into the file', () =>
        statSync(file).size >= before + ROWS * PAGE ? true : undefined,
      );
    } finally {
      await checkpointer.beforeApplicationShutdown();
    }
    expect(await autoCheckpoint(content)).toBe(1000);
    expect(await autoCheckpoint(identity)).toBe(1000);
  });

  it('hands checkpoints back to the request thread when its thread cannot run', async () => {
    // The content store as it is, but naming a file that is not there: the thread fails to open it.
    const missing = Object.create(content, {
      options: {
        value: { ...content.options, database: `${String(content.options.database)}.gone` },
      },
    }) as DataSource;
    const checkpointer = new SqliteCheckpointer(identity, missing);
    await checkpointer.onApplicationBootstrap();
    try {
      await waitFor('the request thread to checkpoint again', async () =>
        (await autoCheckpoint(content)) === 1000 ? true : undefined,
      );
      expect(await autoCheckpoint(identity)).toBe(BACKSTOP_CHECKPOINT_PAGES);
    } finally {
      await checkpointer.beforeApplicationShutdown();
    }
    expect(await autoCheckpoint(identity)).toBe(1000);
  });
});
