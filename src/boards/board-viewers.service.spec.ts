import { requestCopyOf, type Principal } from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import type { MembershipEntity } from '../identity/memberships/membership.entity';
import type { MembershipsService } from '../identity/memberships/memberships.service';
import { VISITOR } from './board-access.policy';
import { BoardViewersService } from './board-viewers.service';

const principal = (): Principal => ({
  accountId: 'account',
  sessionId: 'hash',
  jurisdiction: 'US',
  roles: new Set([Role.MEMBER]),
});

const membership = (companyId: string, expiresInMs: number) =>
  ({ companyId, expiresAt: new Date(Date.now() + expiresInMs) }) as MembershipEntity;

describe('BoardViewersService', () => {
  let reads: string[];
  let version: number;
  let rows: MembershipEntity[];
  let sut: BoardViewersService;

  beforeEach(() => {
    reads = [];
    version = 0;
    rows = [membership('acme', 86_400_000), membership('gone', -1)];
    const memberships = {
      get version() {
        return version;
      },
      forAccount: (accountId: string) => {
        reads.push(accountId);
        return Promise.resolve(rows);
      },
    } as unknown as MembershipsService;
    sut = new BoardViewersService(memberships);
  });

  it('is a visitor without a principal, and a member of the current companies with one', async () => {
    await expect(sut.of(undefined)).resolves.toBe(VISITOR);
    const viewer = await sut.of(principal());
    expect(viewer.signedIn).toBe(true);
    expect([...viewer.currentCompanyIds]).toEqual(['acme']);
  });

  it('reads the memberships once per session principal, its requests’ own copies included', async () => {
    const session = principal();
    await sut.of(session);
    await sut.of(requestCopyOf(session));
    await sut.of(requestCopyOf(requestCopyOf(session)));
    expect(reads).toEqual(['account']);
  });

  it('reads them again once a membership was written on this instance', async () => {
    const session = principal();
    await sut.of(session);
    version += 1;
    rows = [membership('initech', 86_400_000)];
    const viewer = await sut.of(requestCopyOf(session));
    expect(reads).toEqual(['account', 'account']);
    expect([...viewer.currentCompanyIds]).toEqual(['initech']);
  });

  it('reads them for another session principal of the same account (its own cache entry)', async () => {
    await sut.of(principal());
    await sut.of(principal());
    expect(reads).toEqual(['account', 'account']);
  });
});
