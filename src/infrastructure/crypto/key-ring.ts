import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Purposes a key is derived for. Each purpose gets an independent 32-byte key. */
export type KeyPurpose =
  | 'email-index'
  | 'password-pepper'
  | 'session-token'
  | 'pseudonym'
  | 'content-token'
  | 'seal'
  | 'email-code';

/**
 * Derives one key per purpose from the master secret with HKDF-SHA256, so one secret is
 * configured and a leak of one derived key (say, the email-index key) reveals nothing of
 * the others. Keys are derived once and cached.
 */
export class KeyRing {
  private readonly cache = new Map<KeyPurpose, Buffer>();

  constructor(private readonly masterSecret: string) {
    if (masterSecret.length < 32)
      throw new Error('The master secret must be at least 32 characters');
  }

  key(purpose: KeyPurpose): Buffer {
    let key = this.cache.get(purpose);
    if (key === undefined) {
      key = Buffer.from(
        hkdfSync('sha256', this.masterSecret, 'workplace-forum/v1', `key:${purpose}`, 32),
      );
      this.cache.set(purpose, key);
    }
    return key;
  }
}

/**
 * Development only: a random master secret kept in `<dataDir>/.dev-secret` (mode 0600), so
 * `npm start` works with no environment and keys survive restarts. Production refuses to start
 * without APP_SECRET (see AppConfig).
 */
export function loadOrCreateDevSecret(dataDir: string): string {
  const file = join(dataDir, '.dev-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readFileSync(file, 'utf8').trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}
