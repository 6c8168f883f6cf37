import { Worker } from 'node:worker_threads';

/** The outcome of `PRAGMA quick_check` on one SQLite file. */
export type QuickCheck =
  | { readonly outcome: 'ok' }
  | { readonly outcome: 'failed'; readonly cause: string }
  | { readonly outcome: 'over-budget' };

/*
 * Runs in a worker thread so that a large file cannot hold start-up past its budget: better-sqlite3
 * is synchronous, and SQLite has no time limit for a pragma. Plain JavaScript, evaluated, so the
 * same code runs from the build and from the test runner.
 */
const CHECK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check(3)').map((row) => String(Object.values(row)[0]));
  parentPort.postMessage({ rows });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message), code: error && error.code });
} finally {
  if (db) db.close();
}
`;

/**
 * `PRAGMA quick_check` of `file` (read-only connection), or 'over-budget' when it has not
 * answered within `budgetMs`: the worker is then left to finish on its own (it only reads)
 * and does not keep the process alive.
 */
export function quickCheck(file: string, budgetMs: number): Promise<QuickCheck> {
  const worker = new Worker(CHECK_SOURCE, {
    eval: true,
    workerData: { file, driver: require.resolve('better-sqlite3') },
  });
  return new Promise<QuickCheck>((resolve) => {
    const timer = setTimeout(() => {
      worker.unref();
      void worker.terminate();
      resolve({ outcome: 'over-budget' });
    }, budgetMs);
    const settle = (result: QuickCheck): void => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    worker.once('message', (message: { rows?: string[]; error?: string; code?: string }) => {
      if (message.rows !== undefined) {
        settle(
          message.rows.length === 1 && message.rows[0] === 'ok'
            ? { outcome: 'ok' }
            : { outcome: 'failed', cause: `quick_check: ${message.rows.join('; ')}` },
        );
      } else {
        settle({ outcome: 'failed', cause: message.error ?? 'unknown error' });
      }
    });
    worker.once('error', (error) => settle({ outcome: 'failed', cause: error.message }));
  });
}
