import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BadUserInputException, RateLimitedException } from '../../common/errors';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { MailService } from '../../infrastructure/mail/mail.service';
import { AttemptLimiter } from '../../infrastructure/rate-limit/attempt-limiter';
import type { EmailAddress } from './email-address';
import { EmailCodesRepository } from './email-codes.repository';
import { EmailIndexService } from './email-index.service';

const CODE_DIGITS = 6;
const HOUR_MS = 3_600_000;

/**
 * Why a code was refused; every cause gives this one BAD_USER_INPUT so nothing is revealed.
 * `attemptsLeft` is the caller's own budget (a signed-in caller's code, or a signed-out
 * client's tries at this address): it never depends on whether, or by whom, a code was
 * requested for the address.
 */
export class InvalidCodeException extends BadUserInputException {
  constructor(
    readonly attemptsLeft: number,
    retryAfterSeconds?: number,
  ) {
    super(
      attemptsLeft > 0
        ? `That code is wrong or has expired. ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left.`
        : retryAfterSeconds === undefined
          ? 'That code is no longer valid. Request a new one.'
          : `Too many wrong codes. Request a new one and try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}.`,
      {
        fields: ['code'],
        attemptsLeft,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
    );
  }
}

/**
 * Who is using a code. A signed-in caller (verifyEmployer) uses only the codes it requested
 * while signed in to that account; a signed-out caller (signUp) uses the address's code
 * requested signed out, with a budget of wrong tries per client address.
 */
export type CodeCaller = { accountId: string } | { clientIp: string; refuse?: boolean };

/** How many wrong tries, from all callers together, end a signed-out code early (× max). */
const SHARED_CODE_GUESS_FACTOR = 10;

/**
 * One-time email codes (SPEC §2.1): 6 random digits, stored only as a keyed hash, single use,
 * expiring (EMAIL_CODE_TTL_MINUTES), at most EMAIL_CODE_MAX_ATTEMPTS wrong tries, and rate
 * limited per address and per client address. Requesting a code answers the same way for
 * every address, known or not: the mail goes out in the background.
 *
 * A code belongs to whoever requested it: requested signed in, it is kept under
 * `HMAC(email-code key, index:account)` and only that account can use it (verifyEmployer);
 * requested signed out, it is kept under the address's blind index for signUp and
 * resetPassword (whichever uses it first: it proves the mailbox, not a purpose). Wrong tries
 * count against the caller, never against somebody else's code, and the answer to a wrong
 * code is the same whether or not anybody requested one: no one can test for a live code,
 * nor burn another person's tries.
 */
@Injectable()
export class EmailCodeService {
  private readonly logger = new Logger(EmailCodeService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyRing,
    private readonly emailIndex: EmailIndexService,
    private readonly mail: MailService,
    private readonly limiter: AttemptLimiter,
    private readonly transactions: TransactionRunner,
    private readonly codes: EmailCodesRepository,
  ) {}

  /** Sends a code to `email`; `accountId` binds it to the signed-in requester. */
  async request(email: EmailAddress, clientIp: string, accountId?: string): Promise<void> {
    await this.limiter.consume(
      'email-code-ip',
      clientIp,
      this.config.EMAIL_CODES_PER_IP_PER_HOUR,
      3600,
    );
    const key = this.rowKey(this.emailIndex.index(email), accountId);
    const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
    const now = new Date();
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      // Rows whose code and request window both ended an hour ago tell nothing anyone needs.
      const stale = new Date(now.getTime() - HOUR_MS);
      await this.codes.deleteStale(manager, stale);
      const existing = await this.codes.findByKey(manager, key);
      const windowFresh =
        existing !== null && now.getTime() - existing.windowStartedAt.getTime() < HOUR_MS;
      const requests = windowFresh ? existing.requestsInWindow : 0;
      if (requests >= this.config.EMAIL_CODES_PER_ADDRESS_PER_HOUR)
        throw new RateLimitedException(3600, 'email-code-address');
      await this.codes.save(manager, {
        emailIndex: key,
        codeHash: this.hashCode(key, code),
        attempts: 0,
        expiresAt: new Date(now.getTime() + this.config.EMAIL_CODE_TTL_MINUTES * 60_000),
        windowStartedAt: windowFresh ? existing.windowStartedAt : now,
        requestsInWindow: requests + 1,
      });
    });
    // In the background: the answer must not depend on how long the mail server takes.
    this.mail
      .send({
        to: email.address,
        subject: `Your code: ${code}`,
        text:
          `Your Workplace Forum code is ${code}.\n\n` +
          `It expires in ${this.config.EMAIL_CODE_TTL_MINUTES} minutes and works once. ` +
          `If you did not ask for it, ignore this message.\n`,
      })
      .catch((error: unknown) => {
        // Only the error's code: SMTP messages often quote the recipient's address.
        const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
        this.logger.warn({ msg: 'Sending an email code failed', code, responseCode });
      });
  }

  /**
   * Uses up the caller's code for `email` if `code` is right; otherwise throws
   * InvalidCodeException, counting the try against the caller only. A signed-out caller with
   * `refuse` (resetPassword for an address without an account) gets the answer of a wrong
   * code after the same work, right code or not, and the code stays for signUp.
   */
  async consume(email: EmailAddress, code: string, caller: CodeCaller): Promise<void> {
    const index = this.emailIndex.index(email);
    const given = code.trim();
    const failure =
      'accountId' in caller
        ? await this.consumeOwn(this.rowKey(index, caller.accountId), given)
        : await this.consumeShared(index, given, caller.clientIp, caller.refuse === true);
    if (failure !== null) throw failure;
  }

  /**
   * A signed-in caller's own code: its row counts the wrong tries, and nobody else's tries
   * reach it. A caller with no live code gets the same answer whoever else asked for one.
   */
  private consumeOwn(key: string, given: string): Promise<InvalidCodeException | null> {
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      const row = await this.codes.findByKey(manager, key);
      const max = this.config.EMAIL_CODE_MAX_ATTEMPTS;
      if (
        row === null ||
        row.codeHash === null ||
        row.expiresAt.getTime() <= Date.now() ||
        row.attempts >= max
      ) {
        return new InvalidCodeException(0);
      }
      if (this.matches(row.codeHash, key, given)) {
        await this.codes.useUp(manager, key);
        return null;
      }
      const attempts = row.attempts + 1;
      await this.codes.countWrongTry(manager, key, attempts, attempts >= max);
      return new InvalidCodeException(max - attempts);
    });
  }

  /**
   * A code requested signed out (sign-up): anyone holding it may use it, so tries are counted
   * per client address and address (EMAIL_CODE_MAX_ATTEMPTS per code lifetime), not on the
   * code, whose row is only read. A silent ceiling on all clients' tries together stops a
   * guess spread over many client addresses; it is never shown to a guesser.
   */
  private async consumeShared(
    index: string,
    given: string,
    clientIp: string,
    refuse: boolean,
  ): Promise<InvalidCodeException | null> {
    const max = this.config.EMAIL_CODE_MAX_ATTEMPTS;
    const window = this.config.EMAIL_CODE_TTL_MINUTES * 60;
    const mine = await this.limiter.count('email-code-try', `${clientIp}\0${index}`, window);
    const all = await this.limiter.count('email-code-try-all', index, window);
    if (mine.hits > max) return new InvalidCodeException(0, mine.retryAfterSeconds);
    const usable = all.hits <= max * SHARED_CODE_GUESS_FACTOR;
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      const row = await this.codes.findByKey(manager, index);
      // The comparison runs whether or not the code may be taken, so refusing costs the same.
      const right =
        row !== null &&
        row.codeHash !== null &&
        row.expiresAt.getTime() > Date.now() &&
        this.matches(row.codeHash, index, given);
      if (right && usable && !refuse) {
        await this.codes.useUp(manager, index);
        return null;
      }
      const left = max - mine.hits;
      return new InvalidCodeException(left, left > 0 ? undefined : mine.retryAfterSeconds);
    });
  }

  /** The row of a code: the address's blind index, or bound to the requesting account. */
  private rowKey(index: string, accountId: string | undefined): string {
    return accountId === undefined
      ? index
      : createHmac('sha256', this.keys.key('email-code'))
          .update(`${index}:account:${accountId}`)
          .digest('hex');
  }

  private matches(stored: string, key: string, given: string): boolean {
    return /^\d{6}$/.test(given) && this.sameHash(stored, this.hashCode(key, given));
  }

  private hashCode(key: string, code: string): string {
    return createHmac('sha256', this.keys.key('email-code')).update(`${key}:${code}`).digest('hex');
  }

  private sameHash(a: string, b: string): boolean {
    return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
  }
}
