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
import { EmailCodeEntity } from './email-code.entity';
import { EmailIndexService } from './email-index.service';

const CODE_DIGITS = 6;
const HOUR_MS = 3_600_000;

/** Why a code was refused; all map to one BAD_USER_INPUT message so nothing is revealed. */
export class InvalidCodeException extends BadUserInputException {
  constructor(readonly attemptsLeft: number) {
    super(
      attemptsLeft > 0
        ? `That code is wrong or has expired. ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left.`
        : 'That code is no longer valid. Request a new one.',
      { fields: ['code'], attemptsLeft },
    );
  }
}

/**
 * One-time email codes (SPEC §2.1): 6 random digits, stored only as a keyed hash, single use,
 * expiring (EMAIL_CODE_TTL_MINUTES), dead after EMAIL_CODE_MAX_ATTEMPTS wrong tries, and rate
 * limited per address and per client address. Requesting a code answers the same way for
 * every address, known or not: the mail goes out in the background.
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
  ) {}

  async request(email: EmailAddress, clientIp: string): Promise<void> {
    await this.limiter.consume(
      'email-code-ip',
      clientIp,
      this.config.EMAIL_CODES_PER_IP_PER_HOUR,
      3600,
    );
    const index = this.emailIndex.index(email);
    const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
    const now = new Date();
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const existing = await manager.findOneBy(EmailCodeEntity, { emailIndex: index });
      const windowFresh =
        existing !== null && now.getTime() - existing.windowStartedAt.getTime() < HOUR_MS;
      const requests = windowFresh ? existing.requestsInWindow : 0;
      if (requests >= this.config.EMAIL_CODES_PER_ADDRESS_PER_HOUR)
        throw new RateLimitedException(3600);
      await manager.save(EmailCodeEntity, {
        emailIndex: index,
        codeHash: this.hashCode(index, code),
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
   * Uses up the code of `email` if `code` is right. A wrong code costs one attempt, committed
   * even though the caller gets an error; after the last attempt the code is dead.
   */
  async consume(email: EmailAddress, code: string): Promise<void> {
    const index = this.emailIndex.index(email);
    const given = code.trim();
    const failure = await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const row = await manager.findOneBy(EmailCodeEntity, { emailIndex: index });
      const max = this.config.EMAIL_CODE_MAX_ATTEMPTS;
      if (
        row === null ||
        row.codeHash === null ||
        row.expiresAt.getTime() <= Date.now() ||
        row.attempts >= max
      ) {
        return new InvalidCodeException(0);
      }
      if (/^\d{6}$/.test(given) && this.sameHash(row.codeHash, this.hashCode(index, given))) {
        await manager.update(EmailCodeEntity, { emailIndex: index }, { codeHash: null });
        return null;
      }
      const attempts = row.attempts + 1;
      await manager.update(
        EmailCodeEntity,
        { emailIndex: index },
        {
          attempts,
          ...(attempts >= max ? { codeHash: null } : {}),
        },
      );
      return new InvalidCodeException(max - attempts);
    });
    if (failure !== null) throw failure;
  }

  private hashCode(index: string, code: string): string {
    return createHmac('sha256', this.keys.key('email-code'))
      .update(`${index}:${code}`)
      .digest('hex');
  }

  private sameHash(a: string, b: string): boolean {
    return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
  }
}
