import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import type { EmailAddress } from './email-address';

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
}
