import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { Semaphore } from 'async-mutex';
import * as argon2 from 'argon2';
import { BadUserInputException, RateLimitedException } from '../../common/errors';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { MetricsService } from '../../infrastructure/metrics/metrics.service';
import { EventLoopLoad } from './event-loop-load';
import { HashWorker } from './hash-worker';

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
export class PasswordHasher implements OnModuleInit, OnModuleDestroy {
  private readonly slots: Semaphore;
  /** Hashes running or waiting for a slot. */
  private admitted = 0;
  private readonly options: { type: 2; memoryCost: number; timeCost: number; parallelism: number };
  private readonly worker: HashWorker;
  private readonly loop: EventLoopLoad;
  private lastStart = 0;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly config: AppConfig,
    keys: KeyRing,
    /** Shows the queue in `password_hash_*` (absent where the hasher runs alone: benchmarks). */
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.slots = new Semaphore(config.PASSWORD_HASH_CONCURRENCY);
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: 1,
    };
    this.worker = new HashWorker(keys.keys('password-pepper'), config.PASSWORD_HASH_NICENESS);
    this.loop = new EventLoopLoad(config.PASSWORD_HASH_BUSY_ELU);
    metrics?.watchPasswordHashing(() => this.load);
  }

  /**
   * Refuses passwords outside the length limits (counted in code points, after NFKC); `field`
   * names the argument in the error.
   */
  static validate(password: string, field = 'password'): string {
    const normalized = password.normalize('NFKC');
    const length = [...normalized].length;
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      throw new BadUserInputException(
        `Passwords must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`,
        { fields: [field] },
      );
    }
    return normalized;
  }

  hash(password: string): Promise<string> {
    return this.limited(() => this.worker.hash(password.normalize('NFKC'), this.options));
  }

  /** True when `password` matches `hash`. Never throws on a malformed hash. */
  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.check(hash, password)) !== 'wrong';
  }

  /**
   * Like verify, and tells whether the hash should be replaced: made with the previous pepper
   * (during a key rotation) or with weaker parameters than configured.
   */
  async check(hash: string, password: string): Promise<'wrong' | 'ok' | 'rehash'> {
    const pepper = await this.limited(async () => {
      try {
        return await this.worker.verify(hash, password.normalize('NFKC'));
      } catch (error) {
        // A malformed stored hash is "no match"; a dead worker is a server fault.
        if (error instanceof Error && /exited/.test(error.message)) throw error;
        return -1;
      }
    });
    if (pepper < 0) return 'wrong';
    return pepper > 0 || this.needsRehash(hash) ? 'rehash' : 'ok';
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

  /** The dummy hash is made at start-up, so the first unknown-address sign-in is not slower than the rest. */
  onModuleInit(): void {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64'));
    this.dummyHash.catch(() => (this.dummyHash = undefined));
  }

  onModuleDestroy(): void {
    this.worker.stop();
    this.loop.stop();
  }

  /** Hashes running and waiting (for metrics and tests). */
  get load(): { running: number; waiting: number } {
    const running = this.config.PASSWORD_HASH_CONCURRENCY - this.slots.getValue();
    return { running, waiting: this.admitted - running };
  }

  /**
   * Refuses at once (RATE_LIMITED) when the hashing queue is full. Callers check this before
   * any other work, so a flood is turned away at the cost of a cheap request.
   */
  assertCapacity(): void {
    if (this.admitted >= this.config.PASSWORD_HASH_CONCURRENCY + this.config.PASSWORD_HASH_QUEUE) {
      this.metrics?.passwordHashRefused();
      throw new RateLimitedException(1, 'password-hash-queue');
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    this.assertCapacity();
    this.admitted += 1;
    try {
      return await this.slots.runExclusive(async () => {
        await this.pace();
        return work();
      });
    } finally {
      this.admitted -= 1;
    }
  }

  /**
   * While request handling keeps the event loop busy (utilisation over PASSWORD_HASH_BUSY_ELU
   * in the last quarter second), hashes start at most every PASSWORD_HASH_BUSY_INTERVAL_MS:
   * argon2 is memory-hard, and on a small machine it slows the request thread even from
   * another core at low priority. When the server is quiet, hashes run back to back.
   */
  private async pace(): Promise<void> {
    const interval = this.config.PASSWORD_HASH_BUSY_INTERVAL_MS;
    if (interval > 0 && this.loop.busy()) {
      const wait = this.lastStart + interval - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.lastStart = Date.now();
  }
}
