import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Public, Roles } from '../infrastructure/auth/auth.decorators';
import { Role } from '../infrastructure/auth/role';
import { CompaniesService } from './companies.service';
import { toCompanyModel } from './company.mapper';
import { Company } from './company.model';

@Resolver(() => Company)
export class CompaniesResolver {
  constructor(private readonly service: CompaniesService) {}

  @Public()
  @Query(() => [Company], { description: 'Companies by name or slug (at most 100).' })
  async companies(@Args('search', { nullable: true }) search?: string): Promise<Company[]> {
    return (await this.service.search(search)).map(toCompanyModel);
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
  ): Promise<Company> {
    return toCompanyModel(
      await this.service.create({ name, slug, domains, industry, sizeBand, jurisdiction }),
    );
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Company)
  async addCompanyDomain(
    @Args('companyId', { type: () => ID }) companyId: string,
    @Args('domain') domain: string,
  ): Promise<Company> {
    return toCompanyModel(await this.service.addDomain(companyId, domain));
  }
}
