import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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
  constructor(private readonly keys: KeyRing) {}

  token(purpose: ContentTokenPurpose, accountId: string, targetId: string): string {
    return tokenUnder(this.keys.key('content-token'), purpose, accountId, targetId);
  }

  /**
   * The token under the current key, then under the previous one while a key rotation is in
   * progress (APP_SECRET_PREVIOUS): to find what a person wrote under either.
   */
  tokens(purpose: ContentTokenPurpose, accountId: string, targetId: string): string[] {
    return this.keys
      .keys('content-token')
      .map((key) => tokenUnder(key, purpose, accountId, targetId));
  }
}

function tokenUnder(
  key: Buffer,
  purpose: ContentTokenPurpose,
  accountId: string,
  targetId: string,
): string {
  return createHmac('sha256', key)
    .update(`${purpose}\0${accountId}\0${targetId}`)
    .digest('base64url');
}
