import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { IDENTITY_STORE } from '../infrastructure/database/stores';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { CompanyDomainEntity } from './company-domain.entity';
import { CompanyRequestEntity } from './company-request.entity';
import { CompanyEntity } from './company.entity';
import { containsPattern } from '../common/like-pattern';

/** Companies, their email domains and the unknown domains people tried (identity store). */
@Injectable()
export class CompaniesRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  /** At most 100 companies by name, those whose name or slug contains `term` (lower case). */
  search(term: string | null): Promise<CompanyEntity[]> {
    const query = this.identity
      .getRepository(CompanyEntity)
      .createQueryBuilder('c')
      .orderBy('c.name', 'ASC')
      .limit(100);
    if (term !== null) {
      const like = containsPattern(term);
      query.where("(LOWER(c.name) LIKE :like ESCAPE '\\' OR c.slug LIKE :like ESCAPE '\\')", {
        like,
      });
    }
    return query.getMany();
  }

  findById(id: string, manager?: EntityManager): Promise<CompanyEntity | null> {
    const query = (manager ?? this.identity.manager)
      .createQueryBuilder(CompanyEntity, 'c')
      .where('c.id = :id', { id });
    return ofShape(query, 'companies.byId').getOne();
  }

  findByIds(ids: readonly string[]): Promise<CompanyEntity[]> {
    return this.identity.getRepository(CompanyEntity).findBy({ id: In([...ids]) });
  }

  async slugTaken(manager: EntityManager, slug: string): Promise<boolean> {
    return (await manager.countBy(CompanyEntity, { slug })) > 0;
  }

  async insert(manager: EntityManager, company: CompanyEntity): Promise<void> {
    await manager.insert(CompanyEntity, company);
  }

  /** The rows of these domains (their owners), in the caller's transaction if given. */
  findDomains(domains: readonly string[], manager?: EntityManager): Promise<CompanyDomainEntity[]> {
    return (manager ?? this.identity.manager).findBy(CompanyDomainEntity, {
      domain: In([...domains]),
    });
  }

  /** The domains of each company, alphabetically. */
  async domainsOf(companyIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.identity
      .getRepository(CompanyDomainEntity)
      .find({ where: { companyId: In([...companyIds]) }, order: { domain: 'ASC' } });
    const result = new Map<string, string[]>();
    for (const row of rows)
      result.set(row.companyId, [...(result.get(row.companyId) ?? []), row.domain]);
    return result;
  }

  /** Gives the domains to the company and drops the requests that asked for them. */
  async attachDomains(
    manager: EntityManager,
    companyId: string,
    domains: readonly string[],
  ): Promise<void> {
    await manager.insert(
      CompanyDomainEntity,
      domains.map((domain) => ({ domain, companyId })),
    );
    await manager.delete(CompanyRequestEntity, { domain: In([...domains]) });
  }

  /** Counts one more attempt to verify with an unknown domain. */
  async countRequest(manager: EntityManager, domain: string, at: Date): Promise<void> {
    const existing = await manager.findOneBy(CompanyRequestEntity, { domain });
    if (existing === null) {
      await manager.insert(CompanyRequestEntity, {
        domain,
        attempts: 1,
        firstSeenAt: at,
        lastSeenAt: at,
      });
      return;
    }
    await manager.update(
      CompanyRequestEntity,
      { domain },
      { attempts: existing.attempts + 1, lastSeenAt: at },
    );
  }

  /** The 100 most asked-for unknown domains. */
  pendingRequests(): Promise<CompanyRequestEntity[]> {
    return this.identity
      .getRepository(CompanyRequestEntity)
      .find({ order: { attempts: 'DESC' }, take: 100 });
  }
}
