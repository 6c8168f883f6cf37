import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { RuleEntity } from './rule.entity';
import { RuleSetVersionEntity, type RuleSetStatusValue } from './rule-set-version.entity';

/** Rule set versions and their rules (content store). */
@Injectable()
export class RuleSetsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.content.manager;
  }

  findVersion(id: string, manager?: EntityManager): Promise<RuleSetVersionEntity | null> {
    return this.manager(manager).findOneBy(RuleSetVersionEntity, { id });
  }

  findVersionByNumber(
    jurisdiction: string,
    version: number,
    manager?: EntityManager,
  ): Promise<RuleSetVersionEntity | null> {
    return this.manager(manager).findOneBy(RuleSetVersionEntity, { jurisdiction, version });
  }

  findByStatus(
    jurisdiction: string,
    status: 'DRAFT' | 'ACTIVE',
    manager?: EntityManager,
  ): Promise<RuleSetVersionEntity | null> {
    return this.manager(manager).findOneBy(RuleSetVersionEntity, { jurisdiction, status });
  }

  /** Every ACTIVE version (one per jurisdiction). */
  findActive(): Promise<RuleSetVersionEntity[]> {
    return this.content
      .getRepository(RuleSetVersionEntity)
      .find({ where: { status: 'ACTIVE' }, order: { jurisdiction: 'ASC' } });
  }

  /** All versions of these jurisdictions, newest first within each. */
  findByJurisdictions(jurisdictions: readonly string[]): Promise<RuleSetVersionEntity[]> {
    if (jurisdictions.length === 0) return Promise.resolve([]);
    return this.content.getRepository(RuleSetVersionEntity).find({
      where: { jurisdiction: In([...jurisdictions]) },
      order: { jurisdiction: 'ASC', version: 'DESC' },
    });
  }

  /** Jurisdiction codes that have at least one version. */
  async jurisdictionsWithVersions(): Promise<string[]> {
    const rows = await this.content
      .getRepository(RuleSetVersionEntity)
      .createQueryBuilder('v')
      .select('DISTINCT v.jurisdiction', 'jurisdiction')
      .getRawMany<{ jurisdiction: string }>();
    return rows.map((r) => r.jurisdiction);
  }

  async maxVersion(manager: EntityManager, jurisdiction: string): Promise<number> {
    const row = await manager
      .createQueryBuilder(RuleSetVersionEntity, 'v')
      .select('MAX(v.version)', 'max')
      .where('v.jurisdiction = :jurisdiction', { jurisdiction })
      .getRawOne<{ max: number | string | null }>();
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
  }

  /** Rules of these versions, in order. */
  findRules(ruleSetIds: readonly string[], manager?: EntityManager): Promise<RuleEntity[]> {
    if (ruleSetIds.length === 0) return Promise.resolve([]);
    return this.manager(manager).find(RuleEntity, {
      where: { ruleSetId: In([...ruleSetIds]) },
      order: { ruleSetId: 'ASC', position: 'ASC', id: 'ASC' },
    });
  }

  findRule(id: string, manager?: EntityManager): Promise<RuleEntity | null> {
    return this.manager(manager).findOneBy(RuleEntity, { id });
  }

  async countRules(manager: EntityManager, ruleSetId: string): Promise<number> {
    return manager.countBy(RuleEntity, { ruleSetId });
  }

  async nextPosition(manager: EntityManager, ruleSetId: string): Promise<number> {
    const row = await manager
      .createQueryBuilder(RuleEntity, 'r')
      .select('MAX(r.position)', 'max')
      .where('r.ruleSetId = :ruleSetId', { ruleSetId })
      .getRawOne<{ max: number | string | null }>();
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
  }

  async insertVersion(manager: EntityManager, version: RuleSetVersionEntity): Promise<void> {
    await manager.insert(RuleSetVersionEntity, version);
  }

  /**
   * Sets columns of a version only if it still has `status`, and says whether it did. Also
   * the row lock of every write to a version: on PostgreSQL a concurrent change of the same
   * version waits for this transaction and then finds the status changed.
   */
  async updateIf(
    manager: EntityManager,
    id: string,
    status: RuleSetStatusValue,
    changes: Partial<RuleSetVersionEntity>,
  ): Promise<boolean> {
    const result = await manager.update(RuleSetVersionEntity, { id, status }, changes);
    return (result.affected ?? 0) > 0;
  }

  async insertRules(manager: EntityManager, rules: RuleEntity[]): Promise<void> {
    if (rules.length === 0) return;
    // In chunks: SQLite allows a limited number of bound parameters per statement.
    for (let i = 0; i < rules.length; i += 50) {
      await manager.insert(RuleEntity, rules.slice(i, i + 50));
    }
  }

  async updateRule(
    manager: EntityManager,
    id: string,
    changes: Partial<RuleEntity>,
  ): Promise<void> {
    await manager.update(RuleEntity, { id }, changes);
  }

  async deleteRule(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(RuleEntity, { id });
  }
}
