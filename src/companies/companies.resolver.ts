import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Public, Roles } from '../infrastructure/auth/auth.decorators';
import { Role } from '../infrastructure/auth/role';
import { CompaniesService } from './companies.service';
import { toCompanyModel } from './company.mapper';
import { Company, CompanyRequest } from './company.model';
import { roundToMinute } from '../common/time';
import { AuditTrail } from '../audit/audit-trail.service';
import { CurrentPrincipal } from '../infrastructure/auth/auth.decorators';
import type { Principal } from '../infrastructure/auth/principal';

@Resolver(() => Company)
export class CompaniesResolver {
  constructor(
    private readonly service: CompaniesService,
    private readonly audit: AuditTrail,
  ) {}

  @Public()
  @Query(() => [Company], {
    description: 'Companies by name or slug (at most 100); `search` is at most 200 characters.',
  })
  async companies(@Args('search', { nullable: true }) search?: string): Promise<Company[]> {
    return (await this.service.search(search)).map(toCompanyModel);
  }

  @Roles(Role.ADMIN)
  @Query(() => [CompanyRequest], {
    description:
      'Unknown work domains people tried to verify with, most asked first (at most 100).',
  })
  async companyRequests(): Promise<CompanyRequest[]> {
    return (await this.service.pendingRequests()).map((r) => ({
      domain: r.domain,
      attempts: r.attempts,
      firstSeenAt: roundToMinute(r.firstSeenAt),
      lastSeenAt: roundToMinute(r.lastSeenAt),
    }));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Company)
  async createCompany(
    @Args('name') name: string,
    @Args('slug') slug: string,
    @Args('domains', { type: () => [String] }) domains: string[],
    @Args('industry') industry: string,
    @Args('sizeBand') sizeBand: string,
    @Args('jurisdiction') jurisdiction: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Company> {
    return toCompanyModel(
      await this.service.create(
        { name, slug, domains, industry, sizeBand, jurisdiction },
        this.audit.actor(principal, Role.ADMIN),
      ),
    );
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Company)
  async addCompanyDomain(
    @Args('companyId', { type: () => ID }) companyId: string,
    @Args('domain') domain: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Company> {
    return toCompanyModel(
      await this.service.addDomain(companyId, domain, this.audit.actor(principal, Role.ADMIN)),
    );
  }
}
