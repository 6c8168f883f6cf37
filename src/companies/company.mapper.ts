import type { CompanyWithDomains } from './companies.service';
import type { Company } from './company.model';

export function toCompanyModel({ company, domains }: CompanyWithDomains): Company {
  return {
    id: company.id,
    slug: company.slug,
    name: company.name,
    industry: company.industry,
    sizeBand: company.sizeBand,
    jurisdiction: company.jurisdiction,
    domains,
  };
}
