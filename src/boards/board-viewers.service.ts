import { Injectable } from '@nestjs/common';
import { MembershipsService } from '../identity/memberships/memberships.service';
import { type Principal, sessionPrincipalOf } from '../infrastructure/auth/principal';
import { VISITOR, type BoardViewer } from './board-access.policy';

/**
 * The viewer's side of board access, kept per principal object. That object is shared by a
 * session's requests for as long as the sessions' cache holds it (PrincipalCache: at most
 * PRINCIPAL_CACHE_MS, and dropped by every identity write on any instance), so a member's
 * memberships are read at most once per that span, not once per request. A membership
 * written on this instance since (a verifyEmployer or leaveCompany, even earlier in the same
 * request) makes them read again, so access follows the change at once; one written on
 * another instance does through the sessions' cache being dropped. A membership that expires
 * meanwhile stops counting when the principal is next read, at most PRINCIPAL_CACHE_MS later.
 * A request's own copy of the principal (requestCopyOf) finds the entry of the principal it was
 * copied from.
 */
@Injectable()
export class BoardViewersService {
  private readonly cache = new WeakMap<
    Principal,
    { version: number; viewer: Promise<BoardViewer> }
  >();

  constructor(private readonly memberships: MembershipsService) {}

  of(principal: Principal | undefined): Promise<BoardViewer> {
    if (principal === undefined) return Promise.resolve(VISITOR);
    const version = this.memberships.version;
    const shared = sessionPrincipalOf(principal);
    let cached = this.cache.get(shared);
    if (cached?.version !== version) {
      cached = { version, viewer: this.load(shared.accountId) };
      this.cache.set(shared, cached);
    }
    return cached.viewer;
  }

  private async load(accountId: string): Promise<BoardViewer> {
    const now = Date.now();
    const rows = await this.memberships.forAccount(accountId);
    return {
      signedIn: true,
      currentCompanyIds: new Set(
        rows.filter((m) => m.expiresAt.getTime() > now).map((m) => m.companyId),
      ),
    };
  }
}
