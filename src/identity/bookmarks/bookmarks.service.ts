import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { floorToDay } from '../../common/time';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { openBox, sealBox } from '../sealing/sealed-box';
import { BookmarkRecordEntity } from './bookmark-record.entity';
import { BookmarkLimitException } from './bookmarks.exception';

/** The most bookmarks one account keeps. */
export const BOOKMARK_CAP = 1000;

/**
 * Sizes (bytes) the sealed plaintext is padded up to: its length tells only the bucket
 * (up to about 25, 100, 400 or 1,000 bookmarks), not how many.
 */
const BUCKETS = [1024, 4096, 16384, 65536] as const;

interface RecordV1 {
  v: 1;
  /** Thread ids, newest bookmark first. */
  ids: string[];
}

/**
 * Which threads a member bookmarked: one record per account in the identity store, sealed
 * (AES-256-GCM under the `bookmarks` key, a fresh nonce, the account id as associated data)
 * and padded to a size bucket, so a copy of the store shows neither what nor how many nor
 * when, and a record copied onto another account does not open. Nothing is written to the
 * content store. The caller (discussions) checks that the thread may be read.
 */
@Injectable()
export class BookmarksService {
  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly keys: KeyRing,
  ) {}

  /** The account's bookmarked thread ids, newest first (empty when none, or sealed under a retired key). */
  async list(accountId: string): Promise<string[]> {
    const row = await this.identity.getRepository(BookmarkRecordEntity).findOneBy({ accountId });
    return row === null ? [] : this.open(accountId, row.payload);
  }

  /**
   * Adds (`on`) or removes a bookmark of `threadId`. Idempotent: a thread already bookmarked
   * keeps its place. When the list is full, `stillReadable` is asked which of the ids the
   * member can still read, the others are dropped, and if it is still full the bookmark is
   * refused (BAD_USER_INPUT, reason BOOKMARK_LIMIT).
   */
  async set(
    accountId: string,
    threadId: string,
    on: boolean,
    stillReadable: (ids: readonly string[]) => Promise<ReadonlySet<string>>,
  ): Promise<void> {
    let ids = await this.list(accountId);
    if (on === ids.includes(threadId)) return;
    let keep: ReadonlySet<string> | null = null;
    if (on && ids.length >= BOOKMARK_CAP) {
      keep = await stillReadable(ids);
      ids = ids.filter((id) => keep!.has(id));
      if (ids.length >= BOOKMARK_CAP) throw new BookmarkLimitException(BOOKMARK_CAP);
    }
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      let current = await this.lockedIds(manager, accountId);
      if (keep !== null) current = current.filter((id) => keep.has(id));
      const next = on
        ? current.includes(threadId)
          ? current
          : [threadId, ...current]
        : current.filter((id) => id !== threadId);
      if (next.length > BOOKMARK_CAP) throw new BookmarkLimitException(BOOKMARK_CAP);
      await manager.update(
        BookmarkRecordEntity,
        { accountId },
        // The day only: PostgreSQL's re-stamping finds the day's changed rows by it.
        { payload: this.seal(accountId, next), changedOn: floorToDay(new Date()) },
      );
    });
  }

  /** The record's ids, the row created if missing and, on PostgreSQL, locked for the transaction. */
  private async lockedIds(manager: EntityManager, accountId: string): Promise<string[]> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(BookmarkRecordEntity)
      .values({ accountId, payload: this.seal(accountId, []), changedOn: floorToDay(new Date()) })
      .orIgnore()
      .execute();
    const postgres = manager.connection.options.type === 'postgres';
    const row = await manager.getRepository(BookmarkRecordEntity).findOne({
      where: { accountId },
      ...(postgres ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return row === null ? [] : this.open(accountId, row.payload);
  }

  private seal(accountId: string, ids: readonly string[]): string {
    const record: RecordV1 = { v: 1, ids: [...ids] };
    const json = JSON.stringify(record);
    const size = BUCKETS.find((bucket) => bucket >= Buffer.byteLength(json)) ?? json.length;
    return sealBox(this.keys.key('bookmarks'), aad(accountId), json.padEnd(size, ' '));
  }

  private open(accountId: string, payload: string): string[] {
    const text = openBox(this.keys.keys('bookmarks'), aad(accountId), payload);
    if (text === null) return [];
    const record = JSON.parse(text) as RecordV1;
    return Array.isArray(record.ids) ? record.ids.filter((id) => typeof id === 'string') : [];
  }
}

function aad(accountId: string): string {
  return `workplace-forum/bookmarks/v1\0${accountId}`;
}
