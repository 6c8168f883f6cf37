import { Worker } from 'node:worker_threads';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE } from './stores';

/** How often the checkpointing thread copies new WAL pages into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The request thread's own automatic checkpoint while the checkpointing thread runs, in pages:
 * a backstop that bounds the WAL should that thread stop or fall behind (SQLite's default,
 * restored when it stops, is 1,000 pages).
 */
export const BACKSTOP_CHECKPOINT_PAGES = 16_384;

/*
 * Runs in a worker thread with its own connection to the file: `wal_checkpoint(PASSIVE)` copies
 * the pages committed since the last one into the database file and syncs it, alongside the
 * request thread's readers and writer (a passive checkpoint takes no lock they wait on). Plain
 * JavaScript, evaluated, so the same code runs from the build and from the test runner.
 */
const CHECKPOINT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
let failed = false;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failed = false;
  } catch (error) {
    // SQLITE_BUSY (another connection recovering or resetting the WAL): the next turn copies.
    // A checkpoint already running elsewhere is no error: the pragma answers busy = 1.
    if (!failed && !(error && error.code === 'SQLITE_BUSY')) {
      parentPort.postMessage({ error: String(error && error.code ? error.code : error) });
    }
    failed = true;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints each SQLite store from a worker thread, so that the request thread never stalls
 * on one. SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages:
 * under a write load that was one commit in fifty taking 3 to 40 ms on the only thread that
 * answers requests, about half of all the time spent in COMMIT (docs/performance.md, issue
 * 25). Here the request thread's automatic checkpoint is pushed out to a backstop, and a worker
 * runs a passive checkpoint every CHECKPOINT_INTERVAL_MS. The WAL still rewinds as before: the
 * first write after a checkpoint that copied everything starts it again from the beginning.
 *
 * Erasures still truncate the WAL themselves (erasure.ts). SQLite runs one checkpoint at a time
 * and answers another "busy" at once (no busy timeout applies), so an erasure's truncating
 * checkpoint that meets this thread's tries again; a passive one that meets the erasure's
 * copies at the next turn. Nothing on PostgreSQL.
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: Array<{
    readonly store: DataSource;
    readonly worker: Worker;
    readonly exited: Promise<void>;
  }> = [];
  private readonly logger = new Logger(SqliteCheckpointer.name);

  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const store of [this.identity, this.content]) {
      if (store.options.type !== 'better-sqlite3') continue;
      await store.query(`PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      const worker = new Worker(CHECKPOINT_SOURCE, {
        eval: true,
        workerData: {
          file: store.options.database,
          driver: require.resolve('better-sqlite3'),
          intervalMs: CHECKPOINT_INTERVAL_MS,
        },
      });
      // The thread must not keep a process alive that is otherwise done.
      worker.unref();
      worker.on('message', (message: { error: string }) =>
        this.logger.warn({ msg: 'A WAL checkpoint failed', err: message.error }),
      );
      worker.on('error', (error: Error) => {
        // The backstop takes over: the request thread checkpoints again, as SQLite does alone.
        const code = (error as Error & { code?: unknown }).code;
        this.logger.warn({
          msg: 'The checkpointing thread stopped',
          err: typeof code === 'string' ? code : (error.name ?? typeof error),
        });
        void this.restoreAutoCheckpoint(store);
      });
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.workers.push({ store, worker, exited });
    }
  }

  /** Stops the threads (each runs a last checkpoint) before the stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    const stopping = this.workers.splice(0);
    await Promise.all(
      stopping.map(async ({ store, worker, exited }) => {
        // Held by the process until it has gone: a process with nothing else left to wait for
        // would otherwise end before the stores close.
        worker.ref();
        worker.postMessage('stop');
        await exited;
        await this.restoreAutoCheckpoint(store);
      }),
    );
  }

  private async restoreAutoCheckpoint(store: DataSource): Promise<void> {
    if (!store.isInitialized) return;
    await store.query('PRAGMA wal_autocheckpoint = 1000').catch(() => undefined);
  }
}
