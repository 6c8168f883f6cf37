import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { ofShape } from '../../infrastructure/database/sql-shapes';
import type { SanctionKind } from './sanction-kind';
import { SanctionEntity } from './sanction.entity';

/** Sanctions on accounts (identity store). */
@Injectable()
export class SanctionsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  findById(manager: EntityManager, id: string): Promise<SanctionEntity | null> {
    return manager.findOneBy(SanctionEntity, { id });
  }

  async insert(manager: EntityManager, sanction: SanctionEntity): Promise<void> {
    await manager.insert(SanctionEntity, sanction);
  }

  /** Marks the sanction lifted at `at`, unless it already is. */
  async lift(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(SanctionEntity, { id, liftedAt: IsNull() }, { liftedAt: at });
  }

  /**
   * The account's sanctions of these kinds that are in force at `now`: not lifted, and
   * never ending or ending after `now`. One query on the `account_id` index.
   */
  findInForce(
    accountId: string,
    kinds: readonly SanctionKind[],
    now: Date,
  ): Promise<Array<Pick<SanctionEntity, 'id' | 'kind' | 'endsAt'>>> {
    const query = this.identity
      .getRepository(SanctionEntity)
      .createQueryBuilder('s')
      .select(['s.id', 's.kind', 's.endsAt'])
      .where('s.accountId = :accountId AND s.liftedAt IS NULL AND s.kind IN (:...kinds)', {
        accountId,
        kinds: [...kinds],
      })
      .andWhere('(s.endsAt IS NULL OR s.endsAt > :now)', { now: now.getTime() });
    return ofShape(query, 'sanctions.inForce').getMany();
  }

  /**
   * How many of the account's sanctions of each kind were written at or after `since` and
   * not lifted on appeal: counts only, one grouped query on the `account_id` index.
   */
  async countUpheldSince(
    accountIds: readonly string[],
    since: Date,
  ): Promise<Map<string, Map<SanctionKind, number>>> {
    const counts = new Map<string, Map<SanctionKind, number>>();
    if (accountIds.length === 0) return counts;
    const rows = await this.identity
      .getRepository(SanctionEntity)
      .createQueryBuilder('s')
      .select('s.accountId', 'accountId')
      .addSelect('s.kind', 'kind')
      .addSelect('COUNT(*)', 'count')
      .where('s.accountId IN (:...accountIds)', { accountIds: [...new Set(accountIds)] })
      .andWhere('s.liftedAt IS NULL')
      // Times are stored as epoch milliseconds (TimestampColumn).
      .andWhere('s.createdAt >= :since', { since: since.getTime() })
      .groupBy('s.accountId')
      .addGroupBy('s.kind')
      .getRawMany<{ accountId: string; kind: SanctionKind; count: string | number }>();
    for (const row of rows) {
      const byKind = counts.get(row.accountId) ?? new Map<SanctionKind, number>();
      byKind.set(row.kind, Number(row.count));
      counts.set(row.accountId, byKind);
    }
    return counts;
  }
}
