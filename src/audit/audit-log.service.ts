import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type CursorSeal,
  decodeOpaqueCursor,
  encodeOpaqueCursor,
  pageSize,
  withLazyCursor,
} from '../common/opaque-cursor';
import { CursorCipher } from '../infrastructure/crypto/cursor-cipher';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from '../infrastructure/database/stores';
import { chainHash, GENESIS_HASH, HEAD_ID } from './audit-chain';
import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';

/** Entries checked per read while verifying. */
const VERIFY_BATCH = 1000;

export interface LoggedEntry {
  store: StoreName;
  entry: AuditEventEntity;
  cursor: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /**
   * The first entry that fails: edited, or out of sequence after a deletion; when entries are
   * missing at the end, the last one left (null if none is left).
   */
  firstBadEntryId: string | null;
  /** Per store: the head hash to write down outside the system (docs/audit.md). */
  heads: Array<{ store: StoreName; seq: number; hash: string }>;
}

interface Position {
  at: number;
  store: StoreName;
  seq: number;
}

const STORE_ORDER: Record<StoreName, number> = { identity: 0, content: 1 };

const KIND = 'audit-log';

function encode(seal: CursorSeal, store: StoreName, entry: AuditEventEntity): string {
  return encodeOpaqueCursor(seal, KIND, [entry.at.getTime(), store, entry.seq]);
}

function decode(seal: CursorSeal, after: string | null | undefined): Position | null {
  if (after === null || after === undefined) return null;
  const [at, store, seq] = decodeOpaqueCursor(
    seal,
    KIND,
    after,
    (parts): parts is [number, StoreName, number] =>
      parts.length === 3 &&
      typeof parts[0] === 'number' &&
      (parts[1] === IDENTITY_STORE || parts[1] === CONTENT_STORE) &&
      typeof parts[2] === 'number',
    'after is not a cursor of the audit log.',
  );
  return { at, store, seq };
}

/** Newest first: by time, then store, then sequence (all descending). */
function newerFirst(
  a: { store: StoreName; entry: AuditEventEntity },
  b: { store: StoreName; entry: AuditEventEntity },
): number {
  return (
    b.entry.at.getTime() - a.entry.at.getTime() ||
    STORE_ORDER[b.store] - STORE_ORDER[a.store] ||
    b.entry.seq - a.entry.seq
  );
}

/**
 * Reads the two audit chains as one log (`auditLog`, newest first, keyset-paginated) and
 * verifies them (`verifyAuditLog`: recomputes every hash, a batch at a time).
 */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
    private readonly cursors: CursorCipher,
  ) {}

  async page(
    first: number,
    after: string | null | undefined,
    action: string | null | undefined,
  ): Promise<{ items: LoggedEntry[]; hasNextPage: boolean }> {
    const limit = pageSize(first);
    const position = decode(this.cursors, after);
    const filter = action?.trim() || null;
    const fetched = await Promise.all(
      ([IDENTITY_STORE, CONTENT_STORE] as const).map(async (store) =>
        (await this.read(store, position, filter, limit + 1)).map((entry) => ({ store, entry })),
      ),
    );
    const merged = fetched.flat().sort(newerFirst);
    return {
      hasNextPage: merged.length > limit,
      items: merged
        .slice(0, limit)
        .map(({ store, entry }) =>
          withLazyCursor({ store, entry }, () => encode(this.cursors, store, entry)),
        ),
    };
  }

  /** One store's entries older than `position` in the merged order, newest first. */
  private read(
    store: StoreName,
    position: Position | null,
    action: string | null,
    limit: number,
  ): Promise<AuditEventEntity[]> {
    const query = this.dataSource(store).getRepository(AuditEventEntity).createQueryBuilder('a');
    if (action !== null) query.where('a.action = :action', { action });
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

  async verify(): Promise<ChainVerification> {
    let checked = 0;
    let ok = true;
    let firstBadEntryId: string | null = null;
    const heads: ChainVerification['heads'] = [];
    for (const store of [IDENTITY_STORE, CONTENT_STORE] as const) {
      const result = await this.verifyStore(store);
      checked += result.checked;
      heads.push({ store, seq: result.head.seq, hash: result.head.hash });
      if (!result.ok && ok) {
        ok = false;
        firstBadEntryId = result.firstBadEntryId;
      }
    }
    return { ok, checked, firstBadEntryId, heads };
  }

  private async verifyStore(store: StoreName): Promise<{
    ok: boolean;
    checked: number;
    firstBadEntryId: string | null;
    head: AuditHeadEntity;
  }> {
    const dataSource = this.dataSource(store);
    const head = (await dataSource.getRepository(AuditHeadEntity).findOneBy({ id: HEAD_ID })) ?? {
      id: HEAD_ID,
      seq: -1,
      hash: '',
    };
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let last: AuditEventEntity | null = null;
    for (;;) {
      const batch = await dataSource
        .getRepository(AuditEventEntity)
        .createQueryBuilder('a')
        .where('a.seq >= :from', { from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const entry of batch) {
        checked++;
        const expected = chainHash(prevHash, {
          seq: entry.seq,
          at: entry.at.getTime(),
          actorHandle: entry.actorHandle,
          actorRole: entry.actorRole,
          action: entry.action,
          subject: entry.subject,
          detail: entry.detail,
        });
        if (entry.seq !== expectedSeq || entry.prevHash !== prevHash || entry.hash !== expected) {
          return { ok: false, checked, firstBadEntryId: entry.id, head };
        }
        prevHash = entry.hash;
        expectedSeq++;
        last = entry;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    // Entries deleted from the end leave the head pointing past the last one.
    if (head.seq !== expectedSeq - 1 || head.hash !== (last?.hash ?? GENESIS_HASH)) {
      return { ok: false, checked, firstBadEntryId: last?.id ?? null, head };
    }
    return { ok: true, checked, firstBadEntryId: null, head };
  }

  private dataSource(store: StoreName): DataSource {
    return store === IDENTITY_STORE ? this.identity : this.content;
  }
}
