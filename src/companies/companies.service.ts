import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BadUserInputException, ConflictException, NotFoundException } from '../common/errors';
import { IDENTITY_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { CompaniesRepository } from './companies.repository';
import { CompanyRequestEntity } from './company-request.entity';
import { CompanyEntity } from './company.entity';
import { classifyMailDomain, parentDomains } from './mail-domain-policy';
import { type AuditActor, AuditTrail } from '../audit/audit-trail.service';

export interface CompanyWithDomains {
  company: CompanyEntity;
  domains: string[];
}

export interface NewCompany {
  name: string;
  slug: string;
  domains: string[];
  industry: string;
  sizeBand: string;
  jurisdiction: string;
}

/** Longer than any company name or slug; a longer pattern only costs the database work. */
const SEARCH_MAX = 200;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HOSTNAME =
  /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
export const JURISDICTION_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$|^[A-Z]{2,8}$/;

/** Companies and their email domains (identity store: memberships refer to them). */
@Injectable()
export class CompaniesService {
  constructor(
    private readonly companies: CompaniesRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async search(text: string | undefined): Promise<CompanyWithDomains[]> {
    const term = text?.normalize('NFC').trim().toLowerCase();
    if (term !== undefined && term.length > SEARCH_MAX) {
      throw new BadUserInputException(`search must be at most ${SEARCH_MAX} characters.`, {
        fields: ['search'],
      });
    }
    return this.withDomains(
      await this.companies.search(term === undefined || term === '' ? null : term),
    );
  }

  byId(id: string): Promise<CompanyEntity | null> {
    return this.companies.findById(id);
  }

  async byIds(ids: readonly string[]): Promise<CompanyWithDomains[]> {
    if (ids.length === 0) return [];
    return this.withDomains(await this.companies.findByIds(ids));
  }

  async create(input: NewCompany, actor: AuditActor): Promise<CompanyWithDomains> {
    const name = requireText(input.name, 'name', 120);
    const industry = requireText(input.industry, 'industry', 80);
    const sizeBand = requireText(input.sizeBand, 'sizeBand', 32);
    const slug = input.slug.trim();
    if (!SLUG.test(slug) || slug.length > 64) {
      throw new BadUserInputException(
        'slug must be lower-case letters, digits and single hyphens (at most 64).',
        { fields: ['slug'] },
      );
    }
    const jurisdiction = input.jurisdiction.trim().toUpperCase();
    if (!JURISDICTION_CODE.test(jurisdiction)) {
      throw new BadUserInputException('jurisdiction must be a code such as US, DE, CN or US-CA.', {
        fields: ['jurisdiction'],
      });
    }
    if (input.domains.length === 0 || input.domains.length > 50) {
      throw new BadUserInputException('A company needs 1 to 50 email domains.', {
        fields: ['domains'],
      });
    }
    const domains = [...new Set(input.domains.map(normaliseCompanyDomain))];
    const company: CompanyEntity = {
      id: randomUUID(),
      slug,
      name,
      industry,
      sizeBand,
      jurisdiction,
      createdAt: new Date(),
    };
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (await this.companies.slugTaken(manager, slug)) {
        throw new ConflictException(`The slug "${slug}" is taken.`, { fields: ['slug'] });
      }
      await this.companies.insert(manager, company);
      await this.attachDomains(manager, company.id, domains);
      await this.audit.record(manager, {
        actor,
        action: 'company.create',
        subject: `company:${company.id}`,
        detail: { after: { slug, name, industry, sizeBand, jurisdiction, domains } },
      });
    });
    return { company, domains };
  }

  async addDomain(
    companyId: string,
    domain: string,
    actor: AuditActor,
  ): Promise<CompanyWithDomains> {
    const normalised = normaliseCompanyDomain(domain);
    const company = await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const found = await this.companies.findById(companyId, manager);
      if (found === null) throw new NotFoundException('No such company.');
      const [existing] = await this.companies.findDomains([normalised], manager);
      if (existing?.companyId === companyId) return found;
      await this.attachDomains(manager, companyId, [normalised]);
      await this.audit.record(manager, {
        actor,
        action: 'company.addDomain',
        subject: `company:${companyId}`,
        detail: { domain: normalised },
      });
      return found;
    });
    const [result] = await this.withDomains([company]);
    return result;
  }

  /** The company whose domain (or a parent of it) the address belongs to. */
  async byMailDomain(domain: string): Promise<CompanyEntity | null> {
    const candidates = parentDomains(domain);
    const rows = await this.companies.findDomains(candidates);
    // The most specific domain wins (a subsidiary's sub.acme.com over acme.com).
    const best = candidates
      .map((d) => rows.find((r) => r.domain === d))
      .find((r) => r !== undefined);
    return best === undefined ? null : this.byId(best.companyId);
  }

  /** Records an unknown work domain for admins (only the domain and counts). */
  async recordRequest(domain: string): Promise<void> {
    const now = new Date();
    await this.transactions.run(IDENTITY_STORE, (manager) =>
      this.companies.countRequest(manager, domain, now),
    );
  }

  pendingRequests(): Promise<CompanyRequestEntity[]> {
    return this.companies.pendingRequests();
  }

  private async attachDomains(
    manager: EntityManager,
    companyId: string,
    domains: string[],
  ): Promise<void> {
    const taken = await this.companies.findDomains(domains, manager);
    if (taken.length > 0) {
      throw new ConflictException(
        `${taken.map((t) => t.domain).join(', ')} already belong${taken.length === 1 ? 's' : ''} to a company.`,
        {
          fields: ['domains'],
        },
      );
    }
    await this.companies.attachDomains(manager, companyId, domains);
  }

  private async withDomains(companies: CompanyEntity[]): Promise<CompanyWithDomains[]> {
    if (companies.length === 0) return [];
    const domains = await this.companies.domainsOf(companies.map((c) => c.id));
    return companies.map((company) => ({ company, domains: domains.get(company.id) ?? [] }));
  }
}

function requireText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim();
  if (text.length === 0 || text.length > max) {
    throw new BadUserInputException(`${field} must be 1 to ${max} characters.`, {
      fields: [field],
    });
  }
  return text;
}

/** Lower-case punycode hostname that may prove employment (not free-mail, not disposable). */
export function normaliseCompanyDomain(input: string): string {
  const domain = domainToASCII(input.trim().toLowerCase().replace(/^@/, ''));
  if (!HOSTNAME.test(domain)) {
    throw new BadUserInputException(`"${input}" is not a valid email domain.`, {
      fields: ['domains'],
    });
  }
  const verdict = classifyMailDomain(domain);
  if (verdict !== 'ok') {
    throw new BadUserInputException(
      `${domain} is a ${verdict === 'free' ? 'free-mail' : 'disposable-mail'} domain and cannot prove employment.`,
      {
        fields: ['domains'],
        reason: verdict === 'free' ? 'FREE_MAIL_DOMAIN' : 'DISPOSABLE_MAIL_DOMAIN',
      },
    );
  }
  return domain;
}
