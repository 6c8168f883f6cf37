import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random 96-bit nonce: `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`.
 * The same plaintext sealed twice gives unrelated ciphertexts. `aad` binds the box to its
 * context (a purpose label, a row id), so a box moved elsewhere no longer opens.
 */
export function sealBox(key: Buffer, aad: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/**
 * The plaintext, trying each key in turn (current, then previous during a rotation); null
 * when the box is malformed, tampered with, bound to another context or under no known key.
 */
export function openBox(keys: readonly Buffer[], aad: string, sealed: string): string | null {
  const [version, payload, extra] = sealed.split('.');
  if (version !== VERSION || payload === undefined || extra !== undefined) return null;
  const raw = Buffer.from(payload, 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
  const nonce = raw.subarray(0, NONCE_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
  for (const key of keys) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // wrong key, wrong context or tampered: try the next key
    }
  }
  return null;
}
