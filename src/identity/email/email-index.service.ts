import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { type EmailAddress, foldWorkAddress } from './email-address';

/**
 * The keyed blind index of an email address (HMAC-SHA256 with the email-index key over the
 * normalised address). The only trace of an address the server keeps: it finds the account
 * at sign-in and keeps one address to one account, and without the key it cannot be
 * reversed or tested against a list of addresses.
 */
@Injectable()
export class EmailIndexService {
  constructor(private readonly keys: KeyRing) {}

  index(email: EmailAddress): string {
    return this.candidates(email)[0];
  }

  /** The index under the current key, then under the previous key during a rotation. */
  candidates(email: EmailAddress): string[] {
    return this.keys
      .keys('email-index')
      .map((key) => createHmac('sha256', key).update(email.address).digest('hex'));
  }

  /**
   * The index a work address is kept under: that of its folded form (foldWorkAddress), so
   * `alice+2@` and `a.lice@` are one membership and count as one member.
   */
  workIndex(email: EmailAddress): string {
    return this.index(foldWorkAddress(email));
  }

  /**
   * Every index a membership of this work address may be stored under: folded, then as
   * written (memberships verified before folding), each under the current and previous key.
   */
  workCandidates(email: EmailAddress): string[] {
    return [...new Set([...this.candidates(foldWorkAddress(email)), ...this.candidates(email)])];
  }
}
