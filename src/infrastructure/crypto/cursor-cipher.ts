import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CursorSeal } from '../../common/opaque-cursor';
import { KeyRing } from './key-ring';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Associated data of a cursor of `kind`: a cursor of one list does not open as another's. */
function associatedData(kind: string): Buffer {
  return Buffer.from(`workplace-forum/cursor/v1\0${kind}`, 'utf8');
}

/**
 * Seals cursor payloads with AES-256-GCM under the `cursor` key (derived from APP_SECRET), a
 * fresh random 96-bit nonce each time and the cursor's kind as associated data:
 * `base64url(nonce ‖ ciphertext ‖ tag)`. A client holding a cursor learns nothing of the sort
 * key (a creation time, a hot rank) or the id inside; the same position sealed twice gives
 * unrelated strings. During a rotation (APP_SECRET_PREVIOUS) cursors sealed under the previous
 * key still open.
 */
@Injectable()
export class CursorCipher implements CursorSeal {
  constructor(private readonly keys: KeyRing) {}

  seal(kind: string, plaintext: Buffer): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.key('cursor'), nonce);
    cipher.setAAD(associatedData(kind));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The payload, or null when the cursor is malformed, tampered with, of another kind or under no known key. */
  open(kind: string, sealed: string): Buffer | null {
    if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return null;
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= NONCE_BYTES + TAG_BYTES) return null;
    const nonce = raw.subarray(0, NONCE_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
    for (const key of this.keys.keys('cursor')) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(associatedData(kind));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        // another key, another kind or tampered: try the next key
      }
    }
    return null;
  }
}
