import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';

const VERSION = 'v1';
const AAD = Buffer.from('workplace-forum/author-ref/v1');

/**
 * The sealed author reference stored on content rows (SPEC §2.8): AES-256-GCM over the
 * account's random seal id with a fresh 96-bit nonce, so two posts by one author carry
 * unrelated ciphertexts and the content store alone links nothing. Only the server, holding
 * the seal key, can open one — to apply a sanction — and deleting the account deletes the
 * seal id it would resolve to.
 */
@Injectable()
export class SealedReferenceService {
  constructor(private readonly keys: KeyRing) {}

  seal(sealId: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.key('seal'), nonce);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(sealId, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The seal id, or null when the reference is malformed, tampered with or under no known key. */
  open(sealed: string): string | null {
    const [version, payload] = sealed.split('.', 2);
    if (version !== VERSION || payload === undefined) return null;
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < 12 + 16 + 1) return null;
    const nonce = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const body = raw.subarray(12, raw.length - 16);
    for (const key of this.keys.keys('seal')) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(AAD);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // wrong key or tampered: try the next key
      }
    }
    return null;
  }
}
