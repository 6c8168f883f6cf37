import { Injectable } from '@nestjs/common';
import { BadUserInputException, UnauthenticatedException } from '../../common/errors';
import { floorToDay } from '../../common/time';
import { AppConfig } from '../../infrastructure/config/app-config';
import type { Principal } from '../../infrastructure/auth/principal';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AttemptLimiter } from '../../infrastructure/rate-limit/attempt-limiter';
import { parseEmail } from '../email/email-address';
import { EmailCodeService, InvalidCodeException } from '../email/email-code.service';
import { EmailIndexService } from '../email/email-index.service';
import { PasswordHasher } from '../passwords/password-hasher.service';
import { SessionsService } from '../sessions/sessions.service';
import type { SignedIn } from './accounts.service';
import { AccountsRepository } from './accounts.repository';
import type { AccountEntity } from './account.entity';

const FIFTEEN_MINUTES = 900;

/**
 * Changing a password (signed in, with the current one) and resetting it (signed out, with a
 * code mailed by requestEmailCode). Both apply sign-up's password policy and write the new
 * hash and the end of sessions in one identity transaction, and keep the day of the change
 * only (for re-stamping, docs/anonymity.md "PostgreSQL transaction ids").
 */
@Injectable()
export class PasswordChangesService {
  constructor(
    private readonly config: AppConfig,
    private readonly codes: EmailCodeService,
    private readonly emailIndex: EmailIndexService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly limiter: AttemptLimiter,
    private readonly transactions: TransactionRunner,
    private readonly accounts: AccountsRepository,
  ) {}

  /**
   * Replaces the password once the current one is verified, and ends every other session of
   * the account: whoever held one must sign in with the new password. The current session
   * stays. Tries of the current password are counted per account, so a stolen session cannot
   * guess it at the speed of the API.
   */
  async change(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    this.passwords.assertCapacity();
    const normalized = PasswordHasher.validate(newPassword, 'newPassword');
    await this.limiter.consume(
      'password-check-account',
      principal.accountId,
      this.config.SIGN_INS_PER_ADDRESS,
      FIFTEEN_MINUTES,
    );
    const account = await this.accounts.findById(principal.accountId);
    if (account === null) throw new UnauthenticatedException();
    if (!(await this.passwords.verify(account.passwordHash, currentPassword))) {
      throw new BadUserInputException('That password is not right.', {
        fields: ['currentPassword'],
      });
    }
    const passwordHash = await this.passwords.hash(normalized);
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (!(await this.accounts.exists(account.id, manager))) throw new UnauthenticatedException();
      await this.accounts.update(manager, account.id, { passwordHash, ...changedToday() });
      await this.sessions.revokeAll(manager, account.id, principal.sessionId);
    });
  }

  /**
   * Sets a new password with a code mailed to the sign-in address, ends every session of the
   * account and opens a new one. No oracle: for an address without an account the code is
   * checked all the same (its tries counted like sign-up's) and refused as a wrong code is,
   * so the answer, and the work done before it, are those of a wrong code whether or not the
   * address has an account. Only the right code for an existing account goes on to hash the
   * new password — and only someone who reads the mailbox gets there.
   */
  async reset(
    rawEmail: string,
    code: string,
    newPassword: string,
    clientIp: string,
  ): Promise<SignedIn> {
    this.passwords.assertCapacity(); // before the code is used up
    const email = parseEmail(rawEmail);
    const normalized = PasswordHasher.validate(newPassword, 'newPassword');
    const candidates = this.emailIndex.candidates(email);
    const account = await this.accounts.findByEmailIndexes(candidates);
    await this.codes.consume(email, code, { clientIp, refuse: account === null });
    if (account === null) throw new InvalidCodeException(0); // consume has refused already
    const found: AccountEntity = account;
    const passwordHash = await this.passwords.hash(normalized);
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      // Deleted since the look-up: answered as any code that leads nowhere.
      if (!(await this.accounts.exists(found.id, manager))) throw new InvalidCodeException(0);
      await this.accounts.update(manager, found.id, {
        passwordHash,
        ...changedToday(),
        // Rewritten under the current key during a key rotation, as at sign-in.
        ...(found.emailIndex === candidates[0] ? {} : { emailIndex: candidates[0] }),
      });
      await this.sessions.revokeAll(manager, found.id);
      return { accountId: found.id, session: await this.sessions.issue(manager, found.id) };
    });
  }
}

/** The day of a password change: no finer time is kept. */
function changedToday(): Pick<AccountEntity, 'passwordChangedAt'> {
  return { passwordChangedAt: floorToDay(new Date()) };
}
