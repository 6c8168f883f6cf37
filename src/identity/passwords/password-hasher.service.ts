import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Semaphore } from 'async-mutex';
import * as argon2 from 'argon2';
import { BadUserInputException, RateLimitedException } from '../../common/errors';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * argon2id password hashing (OWASP: 19 MiB, t=2, p=1 by default; stronger by config) with a
 * pepper derived from APP_SECRET, so a stolen identity store alone cannot be cracked offline.
 *
 * Hashing is memory- and CPU-heavy, so it runs under a concurrency cap with a bounded queue:
 * past the queue, callers get RATE_LIMITED at once instead of piling up, and a sign-in flood
 * cannot starve the event loop or the rest of the API.
 */
@Injectable()
export class PasswordHasher {
  private readonly slots: Semaphore;
  private waiting = 0;
  private readonly options: argon2.Options;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly config: AppConfig,
    keys: KeyRing,
  ) {
    this.slots = new Semaphore(config.PASSWORD_HASH_CONCURRENCY);
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: 1,
      secret: keys.key('password-pepper'),
    };
  }

  /** Refuses passwords outside the length limits (counted in code points, after NFKC). */
  static validate(password: string): string {
    const normalized = password.normalize('NFKC');
    const length = [...normalized].length;
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      throw new BadUserInputException(
        `Passwords must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`,
        { fields: ['password'] },
      );
    }
    return normalized;
  }

  hash(password: string): Promise<string> {
    return this.limited(() => argon2.hash(password.normalize('NFKC'), this.options));
  }

  /** True when `password` matches `hash`. Never throws on a malformed hash. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.limited(async () => {
      try {
        return await argon2.verify(hash, password.normalize('NFKC'), {
          secret: this.options.secret,
        });
      } catch {
        return false;
      }
    });
  }

  /** Does the work of a verification against a hash nobody has, so "no such account" costs the same time. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64'));
    await this.verify(await this.dummyHash, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, {
      memoryCost: this.config.ARGON2_MEMORY_KIB,
      timeCost: this.config.ARGON2_TIME_COST,
      parallelism: 1,
    });
  }

  /** Hashes in flight plus those waiting (for metrics and tests). */
  get load(): { running: number; waiting: number } {
    return {
      running: this.config.PASSWORD_HASH_CONCURRENCY - this.slots.getValue(),
      waiting: this.waiting,
    };
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.slots.isLocked() && this.waiting >= this.config.PASSWORD_HASH_QUEUE) {
      throw new RateLimitedException(1);
    }
    this.waiting += 1;
    let queued = true;
    try {
      return await this.slots.runExclusive(() => {
        this.waiting -= 1;
        queued = false;
        return work();
      });
    } finally {
      if (queued) this.waiting -= 1;
    }
  }
}
