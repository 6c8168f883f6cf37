import { Injectable } from '@nestjs/common';
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
import type { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';
import {
  type AuditFilter,
  type AuditPosition,
  AuditEventsRepository,
  STORE_ORDER,
} from './audit-events.repository';
import { BadUserInputException } from '../common/errors';

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

const KIND = 'audit-log';

function encode(seal: CursorSeal, store: StoreName, entry: AuditEventEntity): string {
  return encodeOpaqueCursor(seal, KIND, [entry.at.getTime(), store, entry.seq]);
}

function decode(seal: CursorSeal, after: string | null | undefined): AuditPosition | null {
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

/** The optional arguments of `auditLog` besides `action`, as the client sent them. */
export interface AuditNarrowing {
  actorHandle?: string | null;
  from?: Date | null;
  to?: Date | null;
}

function filterOf(action: string | null | undefined, narrowing: AuditNarrowing): AuditFilter {
  const from = narrowing.from?.getTime() ?? null;
  const to = narrowing.to?.getTime() ?? null;
  if (from !== null && to !== null && from >= to) {
    throw new BadUserInputException('from must be before to.', { fields: ['from', 'to'] });
  }
  return {
    action: action?.trim() || null,
    actorHandle: narrowing.actorHandle?.trim() || null,
    from,
    to,
  };
}

/**
 * Reads the two audit chains as one log (`auditLog`, newest first, keyset-paginated) and
 * verifies them (`verifyAuditLog`: recomputes every hash, a batch at a time).
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly cursors: CursorCipher,
  ) {}

  async page(
    first: number,
    after: string | null | undefined,
    action: string | null | undefined,
    narrowing: AuditNarrowing = {},
  ): Promise<{ items: LoggedEntry[]; hasNextPage: boolean }> {
    const limit = pageSize(first);
    const position = decode(this.cursors, after);
    const filter = filterOf(action, narrowing);
    const fetched = await Promise.all(
      ([IDENTITY_STORE, CONTENT_STORE] as const).map(async (store) => {
        const entries = await this.events.findOlderThan(store, position, filter, limit + 1);
        return entries.map((entry) => ({ store, entry }));
      }),
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
    const head = (await this.events.findHead(store)) ?? {
      id: HEAD_ID,
      seq: -1,
      hash: '',
    };
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let last: AuditEventEntity | null = null;
    for (;;) {
      const batch = await this.events.findFromSeq(store, expectedSeq, VERIFY_BATCH);
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
}
