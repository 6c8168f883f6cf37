import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../../infrastructure/auth/principal';
import { touchesNothing } from '../../infrastructure/database/transaction-runner';
import { IdentityWrites } from './identity-writes';

/** How long a resolved session is reused without asking the identity store again. */
export const PRINCIPAL_CACHE_MS = 5_000;
/** Sessions kept at most (a few hundred bytes each). */
const MAX_ENTRIES = 10_000;

interface CachedPrincipal {
  principal: Principal;
  /**
   * Epoch ms from which it is not served: the session's own expiry, or PRINCIPAL_CACHE_MS
   * after it was read, whichever comes first.
   */
  until: number;
}

/**
 * The principals of recently checked sessions, keyed by the keyed hash of the token (the
 * token itself is not kept), so that a member's next requests within PRINCIPAL_CACHE_MS skip
 * the session check (docs/performance.md, issue 25).
 *
 * - **Every commit to the identity store drops the whole cache** on this instance, at once
 *   (before the writing request answers): sign-out, password change, account deletion, role
 *   grant or revocation, jurisdiction change — and any identity write added later — take effect
 *   on this instance's next request. A resolution that was under way across such a commit is
 *   not kept (generation check). Only commits declared to touch nothing kept (`{}`: the
 *   outbox's bookkeeping, batches of notifications) leave it.
 * - Other instances are told over Redis (`principals` announcement) and drop theirs when the
 *   message arrives: a change made on one instance reaches the others a Redis message's
 *   latency later (about a millisecond). If Redis is unreachable, within PRINCIPAL_CACHE_MS;
 *   each instance drops its cache when the connection is back.
 * - A session's expiry is honoured exactly: an entry is not served from the session's
 *   `expires_at` on, whatever its age.
 * - Unknown, expired and revoked tokens are not cached: each is checked against the store.
 *
 * Held in memory only; nothing of it is written to a store, a log or a metric.
 */
@Injectable()
export class PrincipalCache {
  private readonly entries = new LRUCache<string, CachedPrincipal>({ max: MAX_ENTRIES });
  /** Bumped on every clear: a principal read across an identity write is not kept. */
  private generation = 0;

  constructor(writes: IdentityWrites) {
    writes.onWrite((touched) => {
      if (!touchesNothing(touched)) this.clear();
    });
  }

  /** The cached principal of `tokenHash` if its session is still live at `now`. */
  get(tokenHash: string, now: number): Principal | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.principal;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** The generation to hand back to `set` once the store has answered. */
  get current(): number {
    return this.generation;
  }

  /**
   * Keeps `principal`, read from the store at `readAt`, of a session expiring at `expiresAt`,
   * unless the cache was dropped since `generation` was read.
   */
  set(
    tokenHash: string,
    principal: Principal,
    { readAt, expiresAt, generation }: { readAt: number; expiresAt: number; generation: number },
  ): void {
    if (generation !== this.generation) return;
    const until = Math.min(expiresAt, readAt + PRINCIPAL_CACHE_MS);
    this.entries.set(tokenHash, { principal: Object.freeze(principal), until });
  }

  /** Drops every cached principal. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
