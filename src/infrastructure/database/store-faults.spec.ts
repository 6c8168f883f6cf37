import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreFaultLogger } from './store-faults';

describe('StoreFaultLogger', () => {
  const failure = (code: string, message: string): Error =>
    Object.assign(new Error(message), { code });

  it('remembers the first corruption a query met, and nothing else', () => {
    const sut = new StoreFaultLogger();
    sut.logQueryError(failure('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'));
    sut.logQueryError('a message without an error');
    expect(sut.corruption).toBeUndefined();
    sut.logQueryError(failure('SQLITE_CORRUPT_INDEX', 'database disk image is malformed'));
    sut.logQueryError(failure('SQLITE_NOTADB', 'file is not a database'));
    expect(sut.corruption).toBe('database disk image is malformed');
  });

  it("recognises better-sqlite3's own error for a file that is not a database", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-faults-'));
    const file = join(dir, 'content.sqlite');
    writeFileSync(file, randomBytes(8192));
    const sut = new StoreFaultLogger();
    const db = new Database(file);
    try {
      let failed: unknown;
      try {
        db.prepare('SELECT 1 FROM store_info');
      } catch (error) {
        failed = error;
      }
      // Not toBeInstanceOf(Error): the native module's SqliteError extends the Error of the
      // first test file that loaded it in this worker, which may be another realm.
      expect((failed as Error | undefined)?.message).toBe('file is not a database');
      sut.logQueryError(failed as Error);
      expect(sut.corruption).toBe('file is not a database');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
