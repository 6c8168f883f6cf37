import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { pageSize } from '../../common/opaque-cursor';
import { ContentTokenService } from '../../identity/sealing/content-token.service';
import type { Principal } from '../../infrastructure/auth/principal';
import { CursorCipher } from '../../infrastructure/crypto/cursor-cipher';
import { decodeCursor, encodeCursor } from '../../posts/cursor';
import { OwnPostSlotsRepository } from '../../posts/own-post-slots.repository';
import { countTakenSlots } from './slot-count';

export type OwnPostKind = 'thread' | 'comment';

const PURPOSE = { thread: 'own-thread', comment: 'own-comment' } as const;

/** The cursors' order: newest first (the only one). */
const ORDER = 'NEW';

/** One page of a member's own posts, newest first: the slots and the posts they hold. */
export interface OwnSlotPage {
  items: { slot: number; postId: string }[];
  hasNextPage: boolean;
  /** The lowest slot of the page: where the next page starts below. */
  bottom: number;
}

/**
 * A member's own posts without an account id in the content store (docs/anonymity.md, "Own
 * posts"): their n-th thread (or comment) takes the slot HMAC(content-token key, own-thread,
 * account, n), in the post's transaction. Slots are taken from 0 upwards without gaps, so the
 * member's count is found by probing (countTakenSlots) and a page is the slots just below
 * its cursor: one query of at most `first` keys, whatever the depth.
 */
@Injectable()
export class OwnPostSlots {
  /**
   * Each member's count of slots of each kind as last found or taken here, in this process's
   * memory only (never stored or logged): the next count starts from it, one round of four
   * slots instead of about a hundred (countTakenSlots). A count that moved elsewhere (another
   * instance) is found all the same.
   */
  private readonly hints = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    private readonly tokens: ContentTokenService,
    private readonly slots: OwnPostSlotsRepository,
    private readonly cursors: CursorCipher,
  ) {}

  /** Takes the author's next slot for the new post, in its transaction (`manager`). */
  async claim(
    manager: EntityManager,
    principal: Principal,
    kind: OwnPostKind,
    postId: string,
  ): Promise<void> {
    // A concurrent post of the same member may take the slot first: the next one is free.
    for (let n = await this.count(principal, kind, manager); ; n++) {
      if (await this.slots.claim(manager, this.slotToken(principal, kind, n), postId)) {
        // Taken only if the post's transaction commits: a rollback leaves the hint one high,
        // which the next count corrects.
        this.hints.set(this.hintKey(principal, kind), n + 1);
        return;
      }
    }
  }

  /** The page of the member's posts of this kind below `after` (the newest when null). */
  async page(
    principal: Principal,
    kind: OwnPostKind,
    first: number,
    after: string | null | undefined,
  ): Promise<OwnSlotPage> {
    const limit = pageSize(first);
    const cursor = decodeCursor(this.cursors, this.list(principal, kind), after, ORDER);
    const top = cursor === null ? await this.count(principal, kind) : Math.trunc(cursor.key);
    const bottom = Math.max(0, top - limit);
    const numbers = Array.from({ length: Math.max(0, top - bottom) }, (_, i) => top - 1 - i);
    const tokens = numbers.map((n) => this.slotToken(principal, kind, n));
    const rows = await this.slots.find(tokens);
    const postOf = new Map(rows.map((row) => [row.slotToken, row.postId]));
    return {
      items: numbers.flatMap((slot, i) => {
        const postId = postOf.get(tokens[i]);
        return postId === undefined ? [] : [{ slot, postId }];
      }),
      hasNextPage: bottom > 0,
      bottom,
    };
  }

  /** The opaque cursor after `slot` in the member's list of this kind. */
  cursor(principal: Principal, kind: OwnPostKind, slot: number, postId: string): string {
    return encodeCursor(this.cursors, this.list(principal, kind), {
      order: ORDER,
      key: slot,
      id: postId,
    });
  }

  /** How many slots of this kind the member has taken. */
  private async count(
    principal: Principal,
    kind: OwnPostKind,
    manager?: EntityManager,
  ): Promise<number> {
    const hintKey = this.hintKey(principal, kind);
    const count = await countTakenSlots(async (numbers) => {
      const tokens = numbers.map((n) => this.slotToken(principal, kind, n));
      const found = new Set((await this.slots.find(tokens, manager)).map((r) => r.slotToken));
      return new Set(numbers.filter((_, i) => found.has(tokens[i])));
    }, this.hints.get(hintKey));
    this.hints.set(hintKey, count);
    return count;
  }

  private hintKey(principal: Principal, kind: OwnPostKind): string {
    return `${kind}:${principal.accountId}`;
  }

  private slotToken(principal: Principal, kind: OwnPostKind, n: number): string {
    return this.tokens.token(PURPOSE[kind], principal.accountId, String(n));
  }

  /** Cursors are bound to the member and the kind: another member's cursor does not open. */
  private list(principal: Principal, kind: OwnPostKind): string {
    return `own-${kind}s:${principal.accountId}`;
  }
}
