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
  async companies(
    @Args('search', {
      nullable: true,
      description: 'Part of the name or slug (at most 200 characters); omitted for all companies.',
    })
    search?: string,
  ): Promise<Company[]> {
    return (await this.service.search(search)).map(toCompanyModel);
  }

  @Roles(Role.ADMIN)
  @Query(() => [CompanyRequest], {
    description:
      'Admins only. Unknown work domains people tried to verify with, most asked first (at most 100).',
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
  @Mutation(() => Company, {
    description:
      'Admins only. Adds an employer with the email domains that verify employment there (audited).',
  })
  async createCompany(
    @Args('name', { description: 'The display name.' }) name: string,
    @Args('slug', {
      description: 'Lower-case letters, digits and single hyphens, at most 64; must be unused.',
    })
    slug: string,
    @Args('domains', {
      type: () => [String],
      description: 'The 1 to 50 email domains whose addresses verify employment here.',
    })
    domains: string[],
    @Args('industry', { description: 'The industry, as INDUSTRY labels show it.' })
    industry: string,
    @Args('sizeBand', { description: 'The head-count band, e.g. "1k–5k".' }) sizeBand: string,
    @Args('jurisdiction', {
      description: 'The jurisdiction code of the company and its board (US, DE, CN, US-CA).',
    })
    jurisdiction: string,
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
  @Mutation(() => Company, {
    description:
      'Admins only. Adds an email domain that verifies employment at the company (audited); adding one it has changes nothing.',
  })
  async addCompanyDomain(
    @Args('companyId', { type: () => ID, description: 'The company (`Company.id`).' })
    companyId: string,
    @Args('domain', { description: 'The email domain, e.g. `example.com`.' }) domain: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Company> {
    return toCompanyModel(
      await this.service.addDomain(companyId, domain, this.audit.actor(principal, Role.ADMIN)),
    );
  }
}
