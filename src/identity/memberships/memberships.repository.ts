import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CompanyEntity } from '../../companies/company.entity';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { ofShape } from '../../infrastructure/database/sql-shapes';
import { MembershipEntity } from './membership.entity';

/** Verified memberships of accounts at companies (identity store). */
@Injectable()
export class MembershipsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  /** The account's memberships, most recently verified first. */
  findByAccount(accountId: string): Promise<MembershipEntity[]> {
    const query = this.identity
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .where('m.accountId = :accountId', { accountId })
      .orderBy('m.verifiedAt', 'DESC');
    return ofShape(query, 'memberships.ofAccount').getMany();
  }

  /** The work-address blind indexes of the account's memberships, in the caller's transaction. */
  async workIndexesOf(manager: EntityManager, accountId: string): Promise<string[]> {
    const rows = await manager.findBy(MembershipEntity, { accountId });
    return rows.map((m) => m.workEmailIndex);
  }

  /** The memberships verified with one of these work-address blind indexes. */
  findByWorkIndexes(
    manager: EntityManager,
    workEmailIndexes: readonly string[],
  ): Promise<MembershipEntity[]> {
    return manager.findBy(MembershipEntity, { workEmailIndex: In([...workEmailIndexes]) });
  }

  /** The account's membership at the company, if any. */
  findAt(
    manager: EntityManager,
    accountId: string,
    companyId: string,
  ): Promise<MembershipEntity | null> {
    return manager.findOneBy(MembershipEntity, { accountId, companyId });
  }

  /** Writes the membership, new or renewed (by id). */
  async save(manager: EntityManager, membership: MembershipEntity): Promise<void> {
    await manager.save(MembershipEntity, membership);
  }

  /** Ends the membership from `at` (a UTC midnight): FORMER from then on. */
  async end(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(MembershipEntity, { id }, { expiresAt: at });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(MembershipEntity, { id });
  }

  /** Memberships of the company current at `now` and counting from `now` or before. */
  async countCounted(companyId: string, now: Date): Promise<number> {
    const query = this.identity
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .select('COUNT(*)', 'count')
      .where('m.companyId = :companyId', { companyId })
      .andWhere('m.expiresAt > :now AND m.countsFrom <= :now', { now: now.getTime() });
    const row = await ofShape(query, 'memberships.countCounted').getRawOne<{
      count: string | number;
    }>();
    return Number(row?.count ?? 0);
  }

  /**
   * Of the companies in this industry and size band, how many have at least one membership
   * counted at `now`, and how many such memberships they have together.
   */
  async countCountedInIndustry(
    industry: string,
    sizeBand: string,
    now: Date,
  ): Promise<{ companies: number; members: number }> {
    const query = this.identity
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin(CompanyEntity, 'c', 'c.id = m.company_id')
      .select('m.company_id', 'company')
      .addSelect('COUNT(*)', 'members')
      .where('c.industry = :industry AND c.size_band = :sizeBand', { industry, sizeBand })
      .andWhere('m.expires_at > :now AND m.counts_from <= :now', { now: now.getTime() })
      .groupBy('m.company_id');
    const rows = await ofShape(query, 'memberships.countCountedInIndustry').getRawMany<{
      company: string;
      members: string | number;
    }>();
    return {
      companies: rows.length,
      members: rows.reduce((sum, row) => sum + Number(row.members), 0),
    };
  }
}
