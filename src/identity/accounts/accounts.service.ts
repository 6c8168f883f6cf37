import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AppException,
  BadUserInputException,
  ConflictException,
  ErrorCode,
  NotFoundException,
  UnauthenticatedException,
} from '../../common/errors';
import { JURISDICTION_CODE } from '../../companies/companies.service';
import { AppConfig } from '../../infrastructure/config/app-config';
import type { Principal } from '../../infrastructure/auth/principal';
import { GRANTABLE_ROLES, Role } from '../../infrastructure/auth/role';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { flushErasure } from '../../infrastructure/database/erasure';
import { AttemptLimiter } from '../../infrastructure/rate-limit/attempt-limiter';
import { parseEmail } from '../email/email-address';
import { EmailCodeService } from '../email/email-code.service';
import { EmailIndexService } from '../email/email-index.service';
import { PasswordHasher } from '../passwords/password-hasher.service';
import { SessionsService, type IssuedSession } from '../sessions/sessions.service';
import { AccountsRepository } from './accounts.repository';
import { AccountEntity } from './account.entity';
import { type AuditActor, AuditTrail } from '../../audit/audit-trail.service';
import { PseudonymService } from '../pseudonyms/pseudonym.service';
import { BanListService, type Restriction } from '../ban-list/ban-list.service';
import { MembershipsRepository } from '../memberships/memberships.repository';
import { SanctionsService } from '../moderation/sanctions.service';
import { utcDayStart } from '../../common/utc-days';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';
const FIFTEEN_MINUTES = 900;

export interface SignedIn {
  session: IssuedSession;
  accountId: string;
}

const DAY_MS = 86_400_000;

/** A second jurisdiction change within JURISDICTION_CHANGE_DAYS. */
export class JurisdictionChangeTooSoonException extends AppException {
  constructor(next: Date) {
    super(
      ErrorCode.FORBIDDEN,
      `Your jurisdiction can be changed again from ${next.toISOString().slice(0, 10)}.`,
      { reason: 'TOO_SOON', retryAfter: next.toISOString() },
    );
  }
}

/** Sign-up, sign-in, sign-out, account settings, deletion and role grants. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly config: AppConfig,
    private readonly codes: EmailCodeService,
    private readonly emailIndex: EmailIndexService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly limiter: AttemptLimiter,
    private readonly transactions: TransactionRunner,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditTrail,
    private readonly pseudonyms: PseudonymService,
    private readonly sanctions: SanctionsService,
    private readonly banList: BanListService,
    private readonly memberships: MembershipsRepository,
  ) {}

  /** Mails a code; requested signed in (`accountId`), only that account can use it. */
  async requestEmailCode(rawEmail: string, clientIp: string, accountId?: string): Promise<void> {
    await this.codes.request(parseEmail(rawEmail), clientIp, accountId);
  }

  async signUp(
    rawEmail: string,
    code: string,
    password: string,
    jurisdiction: string,
    clientIp: string,
  ): Promise<SignedIn> {
    this.passwords.assertCapacity(); // before the code is used up
    const email = parseEmail(rawEmail);
    const normalizedPassword = PasswordHasher.validate(password);
    const region = normaliseJurisdiction(jurisdiction);
    await this.codes.consume(email, code, { clientIp });
    // After the code: only whoever reads the mailbox can learn that the address is listed.
    await this.banList.assertNotListed(this.emailIndex.candidates(email));
    const passwordHash = await this.passwords.hash(normalizedPassword);
    const emailIndex = this.emailIndex.index(email);
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (
        (await this.accounts.findByEmailIndexes(this.emailIndex.candidates(email), manager)) !==
        null
      ) {
        throw new ConflictException('An account already uses this address; sign in instead.');
      }
      const account: AccountEntity = {
        id: randomUUID(),
        emailIndex,
        passwordHash,
        jurisdiction: region,
        sealId: randomUUID(),
        // The day only: a sign-up timed to the millisecond, next to the first post a minute
        // later, would name the author (docs/anonymity.md, "Coarse times").
        createdAt: new Date(utcDayStart(Date.now())),
        jurisdictionChangedAt: null,
      };
      await this.accounts.insert(manager, account);
      return { accountId: account.id, session: await this.sessions.issue(manager, account.id) };
    });
  }

  /**
   * Same error and comparable time whether the address is unknown or the password wrong: an
   * unknown address still pays for one argon2 verification (against a dummy hash).
   */
  async signIn(rawEmail: string, password: string, clientIp: string): Promise<SignedIn> {
    this.passwords.assertCapacity(); // turn a flood away before any other work
    await this.limiter.consume(
      'sign-in-ip',
      clientIp,
      this.config.SIGN_INS_PER_IP,
      FIFTEEN_MINUTES,
    );
    let email;
    try {
      email = parseEmail(rawEmail);
    } catch {
      throw new UnauthenticatedException(WRONG_CREDENTIALS);
    }
    const candidates = this.emailIndex.candidates(email);
    await this.limiter.consume(
      'sign-in-address',
      candidates[0],
      this.config.SIGN_INS_PER_ADDRESS,
      FIFTEEN_MINUTES,
    );
    const account = await this.findByIndexes(candidates);
    const verdict =
      account === null
        ? await this.passwords.verifyDummy(password).then(() => 'wrong' as const)
        : await this.passwords.check(account.passwordHash, password);
    if (account === null || verdict === 'wrong')
      throw new UnauthenticatedException(WRONG_CREDENTIALS);

    const upgrades: Partial<AccountEntity> = {};
    if (account.emailIndex !== candidates[0]) upgrades.emailIndex = candidates[0]; // key rotation
    // Old pepper (key rotation) or weaker parameters: replace the hash while we have the password.
    if (verdict === 'rehash') upgrades.passwordHash = await this.passwords.hash(password);
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (Object.keys(upgrades).length > 0)
        await this.accounts.update(manager, account.id, upgrades);
      return { accountId: account.id, session: await this.sessions.issue(manager, account.id) };
    });
  }

  async signOut(principal: Principal): Promise<void> {
    await this.transactions.run(IDENTITY_STORE, (manager) =>
      this.sessions.revoke(manager, principal.sessionId),
    );
  }

  /**
   * Moves the account to another jurisdiction: at most once in JURISDICTION_CHANGE_DAYS, so
   * that switching back and forth cannot be used to read what a jurisdiction withholds (a
   * trusted proxy's location header counts as well, docs/compliance.md). Setting the current
   * one changes nothing. Only the day of the change is kept.
   */
  async setJurisdiction(principal: Principal, code: string): Promise<void> {
    const jurisdiction = normaliseJurisdiction(code);
    const days = this.config.JURISDICTION_CHANGE_DAYS;
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const account = await this.accounts.findById(principal.accountId, manager);
      if (account === null) throw new UnauthenticatedException();
      if (account.jurisdiction === jurisdiction) return;
      const last = account.jurisdictionChangedAt;
      if (days > 0 && last !== null) {
        const next = new Date(last.getTime() + days * DAY_MS);
        if (next.getTime() > Date.now()) throw new JurisdictionChangeTooSoonException(next);
      }
      const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
      await this.accounts.update(manager, principal.accountId, {
        jurisdiction,
        jurisdictionChangedAt: today,
      });
    });
  }

  /**
   * Deletes the account and everything that identifies it: roles, sessions, memberships, its
   * email-code row, and its seal id — so sealed references on its past content resolve to
   * nothing. The content itself stays, pseudonymous and now unlinkable. An account under a
   * ban or suspension leaves its addresses on the ban list (BanListService) until the
   * restriction would have ended, so deleting it is no way around the sanction.
   */
  async deleteAccount(principal: Principal, password: string): Promise<void> {
    const account = await this.account(principal.accountId);
    if (!(await this.passwords.verify(account.passwordHash, password))) {
      throw new BadUserInputException('That password is not right.', { fields: ['password'] });
    }
    const restriction = restrictionOf(await this.sanctions.restrictionOf(account.id));
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      await this.assertNotLastAdmin(manager, account.id);
      if (restriction !== null) {
        const workIndexes = await this.memberships.workIndexesOf(manager, account.id);
        await this.banList.remember(manager, [account.emailIndex, ...workIndexes], restriction);
      }
      await this.accounts.delete(manager, account);
    });
    await flushErasure(this.transactions.dataSource(IDENTITY_STORE));
  }

  async account(accountId: string): Promise<AccountEntity> {
    const account = await this.accounts.findById(accountId);
    if (account === null) throw new UnauthenticatedException();
    return account;
  }

  async roles(accountId: string): Promise<Role[]> {
    return [Role.MEMBER, ...(await this.accounts.roles(accountId)).sort()];
  }

  async grantRole(rawEmail: string, role: Role, actor: AuditActor): Promise<void> {
    const target = await this.accountByEmail(rawEmail);
    assertGrantable(role);
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (await this.accounts.hasRole(manager, target.id, role)) return;
      await this.accounts.grant(manager, target.id, role, new Date());
      await this.audit.record(manager, {
        actor,
        action: 'role.grant',
        subject: `staff:${this.pseudonyms.staffHandle(target.id)}`,
        detail: { role, before: false, after: true },
      });
    });
  }

  async revokeRole(rawEmail: string, role: Role, actor: AuditActor): Promise<void> {
    const target = await this.accountByEmail(rawEmail);
    assertGrantable(role);
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (role === Role.ADMIN) await this.assertNotLastAdmin(manager, target.id);
      if (!(await this.accounts.hasRole(manager, target.id, role))) return;
      await this.accounts.revoke(manager, target.id, role);
      await this.audit.record(manager, {
        actor,
        action: 'role.revoke',
        subject: `staff:${this.pseudonyms.staffHandle(target.id)}`,
        detail: { role, before: true, after: false },
      });
    });
  }

  /**
   * The account with this sign-in address, for admin operations (roles, moderator scopes):
   * NOT_FOUND, and nothing more, when there is none.
   */
  async accountByEmail(rawEmail: string): Promise<AccountEntity> {
    const account = await this.findByIndexes(this.emailIndex.candidates(parseEmail(rawEmail)));
    if (account === null) throw new NotFoundException('No account uses that address.');
    return account;
  }

  /** The account whose blind index is one of `candidates` (current key first, then previous). */
  private findByIndexes(candidates: string[]): Promise<AccountEntity | null> {
    return this.accounts.findByEmailIndexes(candidates);
  }

  /** Refuses to remove the last admin, so the server cannot lock itself out. */
  private async assertNotLastAdmin(manager: EntityManager, accountId: string): Promise<void> {
    if (await this.accounts.isSoleHolder(manager, Role.ADMIN, accountId)) {
      throw new ConflictException('This is the last admin; grant ADMIN to someone else first.');
    }
  }
}

function assertGrantable(role: Role): void {
  if (!GRANTABLE_ROLES.includes(role)) {
    throw new BadUserInputException(
      'MEMBER is implied by having an account and cannot be granted or revoked.',
      {
        fields: ['role'],
      },
    );
  }
}

export function normaliseJurisdiction(code: string): string {
  const jurisdiction = code.trim().toUpperCase();
  if (!JURISDICTION_CODE.test(jurisdiction)) {
    throw new BadUserInputException('jurisdiction must be a code such as US, DE, CN or US-CA.', {
      fields: ['jurisdiction'],
    });
  }
  return jurisdiction;
}

/** The restriction a refusal from SanctionsService.restrictionOf stands for. */
function restrictionOf(refusal: AppException | null): Restriction | null {
  if (refusal === null) return null;
  const until = refusal.details.until;
  return refusal.details.reason === 'SUSPENDED' && typeof until === 'string'
    ? { kind: 'SUSPENSION', until: new Date(until) }
    : { kind: 'BAN' };
}
