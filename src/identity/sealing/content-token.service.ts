import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { KeyRing } from '../../infrastructure/crypto/key-ring';

/** What a keyed token is for; each purpose yields unrelated tokens for the same person and target. */
export type ContentTokenPurpose =
  | 'vote'
  | 'poll-vote'
  | 'report'
  | 'idempotency'
  | 'author'
  | 'own-thread'
  | 'own-comment'
  | 'follow';

/**
 * Keyed tokens for content rows (SPEC §2.8): HMAC-SHA256(content-token key, purpose, account,
 * target). Deterministic for one person and one target — so a person votes or reports once —
 * and unlinkable across targets: the token of a vote on thread A says nothing about the token
 * of the same person's vote on thread B, nor who cast it.
 */
@Injectable()
export class ContentTokenService {
  /**
   * The tokens computed last, per key: a member's page asks for the same twenty threads' author
   * and vote tokens on every read (`isViewer`, `viewerVote`), forty keyed hashes that cost more
   * than the rest of a cached page's checks. Kept in this process's memory only, which already
   * holds the key every token is computed from, so keeping them there reveals nothing more.
   */
  private readonly recent = new WeakMap<Buffer, LRUCache<string, string>>();

  constructor(private readonly keys: KeyRing) {}

  token(purpose: ContentTokenPurpose, accountId: string, targetId: string): string {
    return this.tokenUnder(this.keys.key('content-token'), purpose, accountId, targetId);
  }

  /**
   * The token under the current key, then under the previous one while a key rotation is in
   * progress (APP_SECRET_PREVIOUS): to find what a person wrote under either.
   */
  tokens(purpose: ContentTokenPurpose, accountId: string, targetId: string): string[] {
    return this.keys
      .keys('content-token')
      .map((key) => this.tokenUnder(key, purpose, accountId, targetId));
  }

  private tokenUnder(
    key: Buffer,
    purpose: ContentTokenPurpose,
    accountId: string,
    targetId: string,
  ): string {
    const message = `${purpose}\0${accountId}\0${targetId}`;
    let recent = this.recent.get(key);
    if (recent === undefined) {
      recent = new LRUCache<string, string>({ max: RECENT_TOKENS });
      this.recent.set(key, recent);
    }
    let token = recent.get(message);
    if (token === undefined) {
      token = createHmac('sha256', key).update(message).digest('base64url');
      recent.set(message, token);
    }
    return token;
  }
}

/** Tokens kept per key (about 200 bytes each): a few thousand members' pages. */
const RECENT_TOKENS = 20_000;
