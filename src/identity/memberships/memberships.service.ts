import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, MoreThan } from 'typeorm';
import { BadUserInputException } from '../../common/errors';
import { CompaniesService } from '../../companies/companies.service';
import { classifyMailDomain } from '../../companies/mail-domain-policy';
import { AppConfig } from '../../infrastructure/config/app-config';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { parseEmail } from '../email/email-address';
import { EmailCodeService } from '../email/email-code.service';
import { EmailIndexService } from '../email/email-index.service';
import { NotificationsService } from '../moderation/notifications.service';
import { MembershipEntity } from './membership.entity';

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
@Injectable()
export class MembershipsService {
  constructor(
    private readonly config: AppConfig,
    private readonly companies: CompaniesService,
    private readonly codes: EmailCodeService,
    private readonly emailIndex: EmailIndexService,
    private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationsService,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
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
    const workEmailIndex = this.emailIndex.index(email);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.MEMBERSHIP_VALIDITY_DAYS * 86_400_000);
    const { membership, movedFrom } = await this.transactions.run(
      IDENTITY_STORE,
      async (manager) => {
        const byAddress = await manager.findOneBy(MembershipEntity, { workEmailIndex });
        let movedFrom: string | null = null;
        if (byAddress !== null && byAddress.accountId !== accountId) {
          // The mailbox now verifies this account: the other one's membership ends here.
          await manager.delete(MembershipEntity, { id: byAddress.id });
          movedFrom = byAddress.accountId;
        }
        const existing =
          movedFrom === null && byAddress !== null
            ? byAddress
            : await manager.findOneBy(MembershipEntity, { accountId, companyId: company.id });
        const membership: MembershipEntity = {
          id: existing?.id ?? randomUUID(),
          accountId,
          companyId: company.id,
          workEmailIndex,
          verifiedAt: now,
          expiresAt,
        };
        await manager.save(MembershipEntity, membership);
        return { membership, movedFrom };
      },
    );
    if (movedFrom !== null) {
      await this.notifications.notifyAccount(movedFrom, {
        kind: 'MEMBERSHIP_MOVED',
        message: `Your verified membership at ${company.name} ended: its work address was verified again from another account. If that was not you, verify again with a code sent to your work address.`,
        contentId: null,
      });
    }
    return membership;
  }

  forAccount(accountId: string): Promise<MembershipEntity[]> {
    return this.identity
      .getRepository(MembershipEntity)
      .find({ where: { accountId }, order: { verifiedAt: 'DESC' } });
  }

  /** Current verified members of a company (k-anonymity and company-board opening). */
  countCurrentMembers(companyId: string): Promise<number> {
    return this.identity
      .getRepository(MembershipEntity)
      .countBy({ companyId, expiresAt: MoreThan(new Date()) });
  }
}
