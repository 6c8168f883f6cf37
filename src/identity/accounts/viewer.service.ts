import { Injectable } from '@nestjs/common';
import { roundToMinute } from '../../common/time';
import { CompaniesService } from '../../companies/companies.service';
import { toCompanyModel } from '../../companies/company.mapper';
import type { Company } from '../../companies/company.model';
import { Role } from '../../infrastructure/auth/role';
import { MembershipStatus, type Membership } from '../memberships/membership.model';
import { MembershipsService } from '../memberships/memberships.service';
import type { MembershipEntity } from '../memberships/membership.entity';
import { ModeratorScopesService } from '../moderation/moderator-scopes.service';
import { PseudonymService } from '../pseudonyms/pseudonym.service';
import { AccountsService } from './accounts.service';
import type { Viewer } from './viewer.model';

/** Assembles what the signed-in person may see about themself. */
@Injectable()
export class ViewerService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly memberships: MembershipsService,
    private readonly companies: CompaniesService,
    private readonly pseudonyms: PseudonymService,
    private readonly scopes: ModeratorScopesService,
  ) {}

  async viewer(accountId: string): Promise<Viewer> {
    const [account, roles, memberships] = await Promise.all([
      this.accounts.account(accountId),
      this.accounts.roles(accountId),
      this.memberships.forAccount(accountId),
    ]);
    return {
      roles,
      jurisdiction: account.jurisdiction,
      memberships: await this.toMemberships(memberships),
      createdAt: roundToMinute(account.createdAt),
      staffHandle: roles.some((r) => r !== Role.MEMBER)
        ? this.pseudonyms.staffHandle(accountId)
        : null,
      moderatorScope: roles.includes(Role.MODERATOR) ? await this.moderatorScope(accountId) : null,
    };
  }

  private async moderatorScope(accountId: string): Promise<Company | null> {
    const companyId = await this.scopes.scopeOf(accountId);
    if (companyId === null) return null;
    const [company] = await this.companies.byIds([companyId]);
    return company === undefined ? null : toCompanyModel(company);
  }

  async toMemberships(rows: MembershipEntity[]): Promise<Membership[]> {
    const companies = await this.companies.byIds([...new Set(rows.map((m) => m.companyId))]);
    const now = Date.now();
    return rows.flatMap((m) => {
      const company = companies.find((c) => c.company.id === m.companyId);
      if (company === undefined) return [];
      return [
        {
          company: toCompanyModel(company),
          status: m.expiresAt.getTime() > now ? MembershipStatus.CURRENT : MembershipStatus.FORMER,
          verifiedAt: roundToMinute(m.verifiedAt),
          expiresAt: roundToMinute(m.expiresAt),
        },
      ];
    });
  }
}
