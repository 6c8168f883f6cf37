import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';

/** Purposes a key is derived for. Each purpose gets an independent 32-byte key. */
export type KeyPurpose =
  | 'email-index'
  | 'password-pepper'
  | 'session-token'
  | 'pseudonym'
  | 'content-token'
  | 'seal'
  | 'email-code'
  | 'staff-token'
  | 'notification'
  | 'sanction-handle'
  | 'staff-holder'
  | 'rate-limit'
  | 'cursor'
  | 'ban-list'
  | 'bookmarks';

/**
 * Derives one key per purpose from the master secret with HKDF-SHA256, so one secret is
 * configured and a leak of one derived key (say, the email-index key) reveals nothing of
 * the others. Keys are derived once and cached.
 */
export class KeyRing {
  private readonly cache = new Map<string, Buffer>();

  /**
   * @param masterSecret the current APP_SECRET
   * @param previousSecret APP_SECRET_PREVIOUS during a rotation: lookups that cannot be
   *   recomputed (email blind index, sealed references) also try keys derived from it.
   */
  constructor(
    private readonly masterSecret: string,
    private readonly previousSecret?: string,
  ) {
    if (masterSecret.length < 32)
      throw new Error('The master secret must be at least 32 characters');
  }

  key(purpose: KeyPurpose): Buffer {
    return this.derive('current', this.masterSecret, purpose);
  }

  /** The current key first, then the previous one while a rotation is in progress. */
  keys(purpose: KeyPurpose): Buffer[] {
    return this.previousSecret === undefined
      ? [this.key(purpose)]
      : [this.key(purpose), this.derive('previous', this.previousSecret, purpose)];
  }

  private derive(slot: 'current' | 'previous', secret: string, purpose: KeyPurpose): Buffer {
    const cacheKey = `${slot}:${purpose}`;
    let key = this.cache.get(cacheKey);
    if (key === undefined) {
      key = Buffer.from(hkdfSync('sha256', secret, 'workplace-forum/v1', `key:${purpose}`, 32));
      this.cache.set(cacheKey, key);
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

/** The server's key ring for a config: APP_SECRET (or the development secret) and APP_SECRET_PREVIOUS. */
export function keyRingFor(config: AppConfig): KeyRing {
  return new KeyRing(
    config.APP_SECRET ?? loadOrCreateDevSecret(config.DATA_DIR),
    config.APP_SECRET_PREVIOUS,
  );
}
