import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An email domain that belongs to a company (lower-case, punycode). */
@Entity({ name: 'company_domains' })
export class CompanyDomainEntity {
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain!: string;

  @Index('idx_company_domains_company')
  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId!: string;
}
