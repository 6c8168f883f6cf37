import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ceilToDay, floorToDay } from '../../common/time';
import { AppException, BadUserInputException, ErrorCode } from '../../common/errors';
import { CompaniesService } from '../../companies/companies.service';
import { classifyMailDomain } from '../../companies/mail-domain-policy';
import { AppConfig } from '../../infrastructure/config/app-config';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { parseEmail } from '../email/email-address';
import { EmailCodeService } from '../email/email-code.service';
import { EmailIndexService } from '../email/email-index.service';
import { NotificationsService } from '../moderation/notifications.service';
import { BanListService } from '../ban-list/ban-list.service';
import type { MembershipEntity } from './membership.entity';
import { MembershipsRepository } from './memberships.repository';

const DAY_MS = 86_400_000;

/**
 * Employer verification (SPEC §2.5): a code sent to a work address whose domain belongs to a
 * known company proves employment there. One work address verifies one account; verifying
 * again renews the membership for MEMBERSHIP_VALIDITY_DAYS. The address is forgotten: only
 * its keyed blind index is kept, to enforce "one address, one account".
 *
 * Whoever reads the mailbox may verify its address, and the answer never says whether the
 * address already verified someone else: the employer controls the work domain and could
 * otherwise ask about any employee. An address verified from another account moves there;
 * the account that held it loses that membership and is told in its notifications (inside
 * the forum, never by mail), so the mailbox reader learns nothing.
 */
/** leaveCompany of a company that does not exist, or where the viewer holds no membership. */
export class NoSuchMembershipException extends AppException {
  constructor(reason: 'UNKNOWN_COMPANY' | 'NOT_A_MEMBER') {
    super(
      ErrorCode.NOT_FOUND,
      reason === 'UNKNOWN_COMPANY'
        ? 'No company has that id.'
        : 'You hold no verified membership at that company.',
      { fields: ['companyId'], reason },
    );
  }
}

@Injectable()
export class MembershipsService {
  /**
   * Bumped by every membership this instance writes, so that what was read of memberships
   * within a request (board access) is read again after a change in the same request.
   */
  private writes = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly companies: CompaniesService,
    private readonly codes: EmailCodeService,
    private readonly emailIndex: EmailIndexService,
    private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationsService,
    private readonly banList: BanListService,
    private readonly memberships: MembershipsRepository,
  ) {}

  async verify(accountId: string, rawEmail: string, code: string): Promise<MembershipEntity> {
    const email = parseEmail(rawEmail);
    const verdict = classifyMailDomain(email.domain);
    if (verdict !== 'ok') {
      throw new BadUserInputException(
        `A ${verdict === 'free' ? 'free-mail' : 'disposable'} address cannot prove where you work; use your work address.`,
        {
          fields: ['email'],
          reason: verdict === 'free' ? 'FREE_MAIL_DOMAIN' : 'DISPOSABLE_MAIL_DOMAIN',
        },
      );
    }
    // The code proves the person controls the address, also before an unknown domain is recorded.
    await this.codes.consume(email, code, { accountId });
    const company = await this.companies.byMailDomain(email.domain);
    if (company === null) {
      await this.companies.recordRequest(email.domain);
      throw new BadUserInputException(
        `We do not know the company behind ${email.domain} yet. We have asked an administrator to add it; try again later.`,
        { fields: ['email'], reason: 'UNKNOWN_COMPANY_DOMAIN' },
      );
    }
    const workEmailIndex = this.emailIndex.workIndex(email);
    const candidates = this.emailIndex.workCandidates(email);
    // After the code: only whoever reads the mailbox can learn that the address is listed.
    await this.banList.assertNotListed(candidates);
    const now = new Date();
    // Days only (rounded so a membership is never shorter): a verification timed exactly, next
    // to a first post a minute later, would name the author (docs/anonymity.md, "Coarse times").
    const expiresAt = ceilToDay(
      new Date(now.getTime() + this.config.MEMBERSHIP_VALIDITY_DAYS * DAY_MS),
    );
    const { membership, movedFrom } = await this.transactions.run(
      IDENTITY_STORE,
      async (manager) => {
        // Memberships of this address, folded or as written before folding.
        const byAddress = await this.memberships.findByWorkIndexes(manager, candidates);
        const others = byAddress.filter((m) => m.accountId !== accountId);
        // The mailbox now verifies this account: the other ones' memberships end here.
        for (const other of others) await this.memberships.delete(manager, other.id);
        const atCompany = await this.memberships.findAt(manager, accountId, company.id);
        const own = byAddress.find((m) => m.accountId === accountId);
        if (own !== undefined && atCompany !== null && own.id !== atCompany.id)
          await this.memberships.delete(manager, own.id);
        const existing = atCompany ?? own ?? null;
        const membership: MembershipEntity = {
          id: existing?.id ?? randomUUID(),
          accountId,
          companyId: company.id,
          workEmailIndex,
          verifiedAt: floorToDay(now),
          expiresAt,
          // A renewal keeps counting; a new (or moved) membership waits its turn.
          countsFrom:
            existing !== null && existing.expiresAt.getTime() > now.getTime()
              ? existing.countsFrom
              : this.countsFrom(now),
        };
        await this.memberships.save(manager, membership);
        return { membership, movedFrom: [...new Set(others.map((m) => m.accountId))] };
      },
    );
    this.writes += 1;
    for (const previous of movedFrom) {
      await this.notifications.notifyAccount(previous, {
        kind: 'MEMBERSHIP_MOVED',
        message: `Your verified membership at ${company.name} ended: its work address was verified again from another account. If that was not you, verify again with a code sent to your work address.`,
        contentId: null,
      });
    }
    return membership;
  }

  /**
   * Ends the account's membership at the company at once: FORMER from now on, so its board
   * closes to the account and it no longer counts towards the company's members. Only the day
   * is written (the membership's expiry becomes today's UTC midnight, already past), like
   * every other membership time. Past posts keep the labels stored with them. Leaving a
   * membership that has already ended changes nothing; verifying again renews it, counted
   * from MEMBERSHIP_COUNTS_AFTER_DAYS on like a new one.
   */
  async leave(accountId: string, companyId: string): Promise<void> {
    if ((await this.companies.byId(companyId)) === null)
      throw new NoSuchMembershipException('UNKNOWN_COMPANY');
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const membership = await this.memberships.findAt(manager, accountId, companyId);
      if (membership === null) throw new NoSuchMembershipException('NOT_A_MEMBER');
      const today = floorToDay(new Date());
      if (membership.expiresAt.getTime() <= today.getTime()) return;
      await this.memberships.end(manager, membership.id, today);
    });
    this.writes += 1;
  }

  /** A number that changes whenever this instance writes a membership. */
  get version(): number {
    return this.writes;
  }

  forAccount(accountId: string): Promise<MembershipEntity[]> {
    return this.memberships.findByAccount(accountId);
  }

  /**
   * Verified members of a company for k-anonymity and company-board opening: current
   * memberships old enough to count (MEMBERSHIP_COUNTS_AFTER_DAYS), one per folded work address.
   */
  countCurrentMembers(companyId: string): Promise<number> {
    return this.memberships.countCounted(companyId, new Date());
  }

  /**
   * The crowd an INDUSTRY label hides its author in: how many companies share that industry
   * and size band with at least one counted member, and how many counted members they have.
   */
  industryCrowd(
    industry: string,
    sizeBand: string,
  ): Promise<{ companies: number; members: number }> {
    return this.memberships.countCountedInIndustry(industry, sizeBand, new Date());
  }

  /** From when a membership verified now counts: MEMBERSHIP_COUNTS_AFTER_DAYS on, to the day. */
  private countsFrom(now: Date): Date {
    const days = this.config.MEMBERSHIP_COUNTS_AFTER_DAYS;
    return days === 0 ? floorToDay(now) : ceilToDay(new Date(now.getTime() + days * DAY_MS));
  }
}
