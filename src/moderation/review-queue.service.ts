import { Injectable } from '@nestjs/common';
import { BadUserInputException, ForbiddenException } from '../common/errors';
import { pageSize } from '../discussions/cursor';
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
}

function encode(order: ReviewQueueOrder, item: ReviewItemEntity): string {
  return Buffer.from(
    JSON.stringify([order, item.priority, item.queuedAt?.getTime() ?? 0, item.id]),
  ).toString('base64url');
}

function decode(after: string | null | undefined, order: ReviewQueueOrder): QueueCursor | null {
  if (after === null || after === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== order ||
    typeof parsed[1] !== 'number' ||
    typeof parsed[2] !== 'number' ||
    typeof parsed[3] !== 'string' ||
    parsed[3].length > 36
  ) {
    throw new BadUserInputException('after is not a cursor of this queue order.', {
      fields: ['after'],
    });
  }
  return { priority: parsed[1], queuedAt: parsed[2], id: parsed[3] };
}

/** `reviewQueue`: what a moderator may work on, in priority or oldest-first order. */
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly items: ReviewItemsRepository,
    private readonly scopes: ModeratorScopesService,
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
    if (scope !== null && companyId !== null && companyId !== scope) {
      throw new ForbiddenException('You moderate one company’s board only.');
    }
    return {
      status: filter?.status ?? ReviewStatus.PENDING,
      kind: filter?.kind ?? null,
      companyId: scope ?? companyId,
      jurisdiction: filter?.jurisdiction?.trim().toUpperCase() || null,
      boardKind: scope !== null ? 'COMPANY' : (filter?.boardKind ?? null),
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
    const cursor = decode(after, order);
    const effective = await this.effectiveFilter(principal, filter);
    const rows = await this.items.queuePage({ ...effective, order, after: cursor, limit });
    return {
      hasNextPage: rows.length > limit,
      items: rows.slice(0, limit).map((item) => ({ item, cursor: encode(order, item) })),
    };
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
