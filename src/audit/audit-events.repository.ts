import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from '../infrastructure/database/stores';
import { HEAD_ID } from './audit-chain';
import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';

/** An entry's place in the merged log of both stores. */
export interface AuditPosition {
  at: number;
  store: StoreName;
  seq: number;
}

/** What `auditLog` narrows to; null: no narrowing. */
export interface AuditFilter {
  action: string | null;
  /** The staff handle (or "A member", "Operator CLI") that acted, exactly. */
  actorHandle: string | null;
  /** Entries at or after this time (epoch milliseconds). */
  from: number | null;
  /** Entries before this time (epoch milliseconds). */
  to: number | null;
}

/** At the same time, the store sorting higher comes first in the merged log (newest first). */
export const STORE_ORDER: Record<StoreName, number> = { identity: 0, content: 1 };

/** Reads of the audit chains, one per store (entries and their head). */
@Injectable()
export class AuditEventsRepository {
  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
  ) {}

  /**
   * One store's entries older than `position` in the merged order (all if null), only those
   * the filter lets through, newest first, at most `limit`.
   */
  findOlderThan(
    store: StoreName,
    position: AuditPosition | null,
    filter: AuditFilter,
    limit: number,
  ): Promise<AuditEventEntity[]> {
    const query = this.dataSource(store)
      .getRepository(AuditEventEntity)
      .createQueryBuilder('a')
      .where('1 = 1');
    if (filter.action !== null) query.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorHandle !== null)
      query.andWhere('a.actor_handle = :actor', { actor: filter.actorHandle });
    if (filter.from !== null) query.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to !== null) query.andWhere('a.at < :to', { to: filter.to });
    if (position !== null) {
      // At the same time, this store's entries come after `position` when the store sorts
      // lower, or when it is the same store and their sequence number is lower. Written as
      // bounds (a row-value comparison for the same store) so both engines seek the (at, seq)
      // index to the position instead of reading every newer entry (docs/postgresql-plans.md).
      const bound =
        STORE_ORDER[store] === STORE_ORDER[position.store]
          ? '(a.at, a.seq) < (:at, :seq)'
          : STORE_ORDER[store] < STORE_ORDER[position.store]
            ? 'a.at <= :at'
            : 'a.at < :at';
      query.andWhere(bound, { at: position.at, seq: position.seq });
    }
    return query.orderBy('a.at', 'DESC').addOrderBy('a.seq', 'DESC').limit(limit).getMany();
  }

  /** The store's chain head (its last sequence number and hash), null if it has none. */
  findHead(store: StoreName): Promise<AuditHeadEntity | null> {
    return this.dataSource(store).getRepository(AuditHeadEntity).findOneBy({ id: HEAD_ID });
  }

  /** At most `limit` of the store's entries from sequence number `fromSeq` on, in sequence. */
  findFromSeq(store: StoreName, fromSeq: number, limit: number): Promise<AuditEventEntity[]> {
    return this.dataSource(store)
      .getRepository(AuditEventEntity)
      .createQueryBuilder('a')
      .where('a.seq >= :from', { from: fromSeq })
      .orderBy('a.seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  private dataSource(store: StoreName): DataSource {
    return store === IDENTITY_STORE ? this.identity : this.content;
  }
}
