import { Injectable } from '@nestjs/common';
import { MembershipsService } from '../identity/memberships/memberships.service';
import type { Principal } from '../infrastructure/auth/principal';
import { VISITOR, type BoardViewer } from './board-access.policy';

/**
 * The viewer's side of board access, computed once per request: the principal object lives
 * exactly as long as its request, so it keys the cache. A membership written since (a
 * verifyEmployer or leaveCompany earlier in the same request) makes it read again, so access
 * follows the change at once.
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
    let cached = this.cache.get(principal);
    if (cached?.version !== version) {
      cached = { version, viewer: this.load(principal.accountId) };
      this.cache.set(principal, cached);
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
