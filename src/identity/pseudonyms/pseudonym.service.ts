import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { ADJECTIVES, ANIMALS } from './words';

/** Candidates 0 to 15 of a person's thread handle are two words; later ones add a number. */
const WORD_CANDIDATES = 16;
/** No thread has this many authors: 4,096 two-word handles, then 90 numbered ones of each. */
export const MAX_HANDLE_CANDIDATES = 1024;

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

  /**
   * The `attempt`-th candidate handle of a person in a thread: a fixed sequence per (account,
   * thread). The first is used unless another author of the thread already carries it
   * (handles are unique within a thread; the discussions module picks the first free one).
   * After 16 two-word candidates a number is added ("Quiet Otter 47"), for crowded threads.
   */
  threadHandle(accountId: string, threadId: string, attempt = 0): string {
    if (!Number.isInteger(attempt) || attempt < 0 || attempt >= MAX_HANDLE_CANDIDATES) {
      throw new RangeError(`no thread handle candidate ${attempt}`);
    }
    const input = `thread\0${accountId}\0${threadId}`;
    const digest = this.digest(attempt === 0 ? input : `${input}\0${attempt}`);
    const words = this.words(digest);
    return attempt < WORD_CANDIDATES ? words : `${words} ${(digest.readUInt16BE(2) % 90) + 10}`;
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
