import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { ADJECTIVES, ANIMALS } from './words';

/**
 * Readable pseudonyms (SPEC §2.6). A thread handle is a keyed hash of (account, thread) mapped
 * onto "Adjective Animal": the same person has the same handle throughout a thread and an
 * unrelated one in every other thread; without the key, handles reveal nothing. The discussions
 * module stores the handle on the content row when the post is written, so handles never
 * change afterwards (not even when keys are rotated).
 */
@Injectable()
export class PseudonymService {
  constructor(private readonly keys: KeyRing) {}

  threadHandle(accountId: string, threadId: string): string {
    return this.words(this.digest(`thread\0${accountId}\0${threadId}`));
  }

  /**
   * The stable handle of a staff member ("Staff Heron 4821"), used in audit entries and review
   * history instead of any personal data. Unrelated to their thread handles.
   */
  staffHandle(accountId: string): string {
    const digest = this.digest(`staff\0${accountId}`);
    return `Staff ${this.words(digest)} ${(digest.readUInt16BE(4) % 9000) + 1000}`;
  }

  private digest(input: string): Buffer {
    return createHmac('sha256', this.keys.key('pseudonym')).update(input).digest();
  }

  private words(digest: Buffer): string {
    return `${ADJECTIVES[digest[0] % ADJECTIVES.length]} ${ANIMALS[digest[1] % ANIMALS.length]}`;
  }
}
