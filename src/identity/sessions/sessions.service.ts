import { createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ceilToDay } from '../../common/time';
import { AppConfig } from '../../infrastructure/config/app-config';
import type { Principal, PrincipalResolver } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PrincipalCache } from './principal-cache';
import { SessionsRepository } from './sessions.repository';

const DAY_MS = 86_400_000;

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/**
 * Opaque bearer sessions (SPEC §2.3): 256 random bits, handed to the client once and stored
 * only as a keyed hash, so a copy of the identity store yields no usable token. Sessions expire
 * after SESSION_TTL_DAYS (at the UTC midnight after, so the row tells the day of the sign-in
 * and no more) and end on sign-out, on account deletion and on a password change or reset.
 * Expired rows are deleted.
 */
@Injectable()
export class SessionsService implements PrincipalResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyRing,
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly cache: PrincipalCache,
  ) {}

  /** Creates a session inside the caller's identity transaction. */
  async issue(manager: EntityManager, accountId: string): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = ceilToDay(new Date(now.getTime() + this.config.SESSION_TTL_DAYS * DAY_MS));
    // Anybody's expired sessions go: an old row would still tell its sign-in day.
    await this.sessions.deleteExpired(manager, now);
    await this.sessions.insert(manager, { tokenHash: this.hash(token), accountId, expiresAt });
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Principal | null> {
    const tokenHash = this.hash(token);
    const now = Date.now();
    const cached = this.cache.get(tokenHash, now);
    if (cached !== undefined) return cached;
    const generation = this.cache.current;
    // The session and its account in one statement, then the roles (held under a keyed token
    // of the account id, so they cannot be joined in).
    const session = await this.sessions.findLive(tokenHash, new Date(now));
    if (session === null) return null;
    const roles = await this.accounts.roles(session.accountId);
    const principal: Principal = {
      accountId: session.accountId,
      sessionId: tokenHash,
      jurisdiction: session.jurisdiction,
      roles: new Set([Role.MEMBER, ...roles]),
    };
    this.cache.set(tokenHash, principal, {
      readAt: now,
      expiresAt: session.expiresAt,
      generation,
    });
    return principal;
  }

  async revoke(manager: EntityManager, sessionId: string): Promise<void> {
    await this.sessions.delete(manager, sessionId);
  }

  /** Ends every session of the account but `keep` (a principal's `sessionId`), if given. */
  async revokeAll(manager: EntityManager, accountId: string, keep?: string): Promise<void> {
    await this.sessions.deleteOfAccount(manager, accountId, keep);
  }

  private hash(token: string): string {
    return createHmac('sha256', this.keys.key('session-token')).update(token).digest('hex');
  }
}
