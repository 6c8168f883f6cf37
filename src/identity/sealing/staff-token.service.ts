import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';

/**
 * An opaque keyed token of a staff account (HMAC-SHA256 under the `staff-token` key), for
 * content rows that must tell staff members apart without naming them — e.g. the last editor
 * of a rule-set draft, which the four-eyes rule compares with the publisher. Deterministic
 * for one account, meaningless without the key, and unrelated to the staff handle shown in
 * audit entries and to every other token.
 */
@Injectable()
export class StaffTokenService {
  constructor(private readonly keys: KeyRing) {}

  token(accountId: string): string {
    return this.digest(this.keys.key('staff-token'), accountId);
  }

  /** Whether `token` belongs to the account, under the current key or (during a rotation) the previous one. */
  matches(accountId: string, token: string): boolean {
    const given = Buffer.from(token);
    return this.keys.keys('staff-token').some((key) => {
      const expected = Buffer.from(this.digest(key, accountId));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }

  private digest(key: Buffer, accountId: string): string {
    return createHmac('sha256', key).update(`staff\0${accountId}`).digest('base64url');
  }
}
