import { Injectable } from '@nestjs/common';
import {
  type CursorSeal,
  decodeOpaqueCursor,
  encodeOpaqueCursor,
  pageSize,
  withLazyCursor,
} from '../common/opaque-cursor';
import { CursorCipher } from '../infrastructure/crypto/cursor-cipher';
import { assertWithinScope } from './review-conflict';
import { ModeratorScopesService } from '../identity/moderation/moderator-scopes.service';
import type { Principal } from '../infrastructure/auth/principal';
import type { ReviewItemEntity } from './review.entity';
import { type QueueCursor, ReviewItemsRepository } from './review-items.repository';
import { type ReviewKind, ReviewQueueOrder, ReviewStatus } from './review-enums';
import type { ReviewQueueFilter } from './review.model';

export interface QueuePage {
  items: Array<{ cursor: string; item: ReviewItemEntity }>;
  hasNextPage: boolean;
}

/** The effective filter of a moderator: theirs, narrowed to their company when they are scoped. */
export interface EffectiveFilter {
  status: ReviewStatus;
  kind: ReviewKind | null;
  companyId: string | null;
  jurisdiction: string | null;
  boardKind: string | null;
  /** Lower-case words to find (searchTerm); subscriptions do not narrow by it. */
  search: string | null;
}

/** At most this many characters of `search` are used. */
export const SEARCH_MAX = 100;

/**
 * The queue search as applied: NFC, control characters as spaces, trimmed, lower case, the
 * first SEARCH_MAX characters; null when nothing is left. Never an error.
 */
export function searchTerm(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const text = raw
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .toLowerCase();
  const capped = Array.from(text).slice(0, SEARCH_MAX).join('').trim();
  return capped.length === 0 ? null : capped;
}

const kind = (order: ReviewQueueOrder): string => `review-queue:${order}`;

function encode(seal: CursorSeal, order: ReviewQueueOrder, item: ReviewItemEntity): string {
  return encodeOpaqueCursor(seal, kind(order), [
    order,
    item.priority,
    item.queuedAt?.getTime() ?? 0,
    item.id,
  ]);
}

function decode(
  seal: CursorSeal,
  after: string | null | undefined,
  order: ReviewQueueOrder,
): QueueCursor | null {
  if (after === null || after === undefined) return null;
  const [, priority, queuedAt, id] = decodeOpaqueCursor(
    seal,
    kind(order),
    after,
    (parts): parts is [ReviewQueueOrder, number, number, string] =>
      parts.length === 4 &&
      parts[0] === order &&
      typeof parts[1] === 'number' &&
      typeof parts[2] === 'number' &&
      typeof parts[3] === 'string' &&
      parts[3].length <= 36,
    'after is not a cursor of this queue order.',
  );
  return { priority, queuedAt, id };
}

/** `reviewQueue`: what a moderator may work on, in priority or oldest-first order. */
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly items: ReviewItemsRepository,
    private readonly scopes: ModeratorScopesService,
    private readonly cursors: CursorCipher,
  ) {}

  /**
   * The filter as applied for this moderator. A moderator scoped to a company (by an admin,
   * `scopeModerator`) sees only that company's board: another company is FORBIDDEN.
   */
  async effectiveFilter(
    principal: Principal,
    filter: ReviewQueueFilter | null | undefined,
  ): Promise<EffectiveFilter> {
    const scope = await this.scopes.scopeOf(principal.accountId);
    const companyId = filter?.companyId ?? null;
    // No company in the filter narrows to the moderator's scope below.
    if (companyId !== null) assertWithinScope(scope, companyId);
    return {
      status: filter?.status ?? ReviewStatus.PENDING,
      kind: filter?.kind ?? null,
      companyId: scope ?? companyId,
      jurisdiction: filter?.jurisdiction?.trim().toUpperCase() || null,
      boardKind: scope !== null ? 'COMPANY' : (filter?.boardKind ?? null),
      search: searchTerm(filter?.search),
    };
  }

  async page(
    principal: Principal,
    filter: ReviewQueueFilter | null | undefined,
    first: number,
    after: string | null | undefined,
    order: ReviewQueueOrder,
  ): Promise<QueuePage> {
    const limit = pageSize(first);
    const cursor = decode(this.cursors, after, order);
    const effective = await this.effectiveFilter(principal, filter);
    const rows = await this.items.queuePage({ ...effective, order, after: cursor, limit });
    return {
      hasNextPage: rows.length > limit,
      items: rows
        .slice(0, limit)
        .map((item) => withLazyCursor({ item }, () => encode(this.cursors, order, item))),
    };
  }

  /** How many items the moderator's filter matches (`totalCount`): one COUNT query. */
  async count(principal: Principal, filter: ReviewQueueFilter | null | undefined): Promise<number> {
    return this.items.queueCount(await this.effectiveFilter(principal, filter));
  }

  /**
   * The jurisdictions of the items of the filter's status within the moderator's scope,
   * whatever the filter's other fields: the choices of a jurisdiction filter.
   */
  async jurisdictions(
    principal: Principal,
    filter: ReviewQueueFilter | null | undefined,
  ): Promise<string[]> {
    const effective = await this.effectiveFilter(principal, filter);
    const scope = await this.scopes.scopeOf(principal.accountId);
    return this.items.queueJurisdictions({
      status: effective.status,
      kind: null,
      companyId: scope,
      jurisdiction: null,
      boardKind: scope !== null ? 'COMPANY' : null,
      search: null,
    });
  }

  /** Whether an item belongs in a subscriber's view of the queue. */
  static matches(item: ReviewItemEntity, filter: EffectiveFilter): boolean {
    return (
      (filter.kind === null || item.kind === filter.kind) &&
      (filter.companyId === null || item.companyId === filter.companyId) &&
      (filter.jurisdiction === null || item.jurisdiction === filter.jurisdiction) &&
      (filter.boardKind === null || item.boardKind === filter.boardKind)
    );
  }
}
