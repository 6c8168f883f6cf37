import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { utcDayStart } from '../../common/utc-days';
import type { Role } from '../../infrastructure/auth/role';
import type { KeyRing } from '../../infrastructure/crypto/key-ring';
import { StaffRoleEntity, StaffScopeEntity } from './staff-role.entity';

/**
 * Staff roles and moderator scopes (identity store), held by keyed tokens of accounts
 * (StaffRoleEntity explains why). Plain class, not a provider, so the CLI's `grant-role`
 * writes exactly what the server does.
 *
 * During a key rotation rows are found under either key, and a row found under the previous
 * key is moved to the current one the first time its account is looked up.
 */
export class StaffRecords {
  constructor(
    private readonly keys: KeyRing,
    private readonly dataSource: DataSource,
  ) {}

  /** The account's holder token under the current key. */
  holder(accountId: string): string {
    return tokenOf(this.keys.key('staff-holder'), accountId);
  }

  /** The account's roles (MEMBER left out). */
  async roles(accountId: string, manager?: EntityManager): Promise<Role[]> {
    const rows = await this.rolesOf(accountId, manager);
    return rows.map((row) => row.role);
  }

  async hasRole(manager: EntityManager, accountId: string, role: Role): Promise<boolean> {
    return (await this.roles(accountId, manager)).includes(role);
  }

  /** Grants `role` (the day is kept, not the time). */
  async grant(manager: EntityManager, accountId: string, role: Role, at: Date): Promise<void> {
    await this.rolesOf(accountId, manager);
    await manager.insert(StaffRoleEntity, {
      holder: this.holder(accountId),
      role,
      grantedAt: new Date(utcDayStart(at)),
    });
  }

  async revoke(manager: EntityManager, accountId: string, role: Role): Promise<void> {
    await manager.delete(StaffRoleEntity, { holder: In(this.holders(accountId)), role });
  }

  /** How many accounts hold `role`, and whether `accountId` is one of them. */
  async holdersOf(
    manager: EntityManager,
    role: Role,
    accountId: string,
  ): Promise<{ count: number; includes: boolean }> {
    const rows = await manager.findBy(StaffRoleEntity, { role });
    const mine = new Set(this.holders(accountId));
    return { count: rows.length, includes: rows.some((row) => mine.has(row.holder)) };
  }

  /** The company whose board the moderator is limited to, or null for every board. */
  async scopeOf(accountId: string): Promise<string | null> {
    const row = await this.dataSource.manager.findOneBy(StaffScopeEntity, {
      holder: In(this.holders(accountId)),
    });
    return row?.companyId ?? null;
  }

  async setScope(manager: EntityManager, accountId: string, companyId: string | null) {
    await manager.delete(StaffScopeEntity, { holder: In(this.holders(accountId)) });
    if (companyId !== null) {
      await manager.insert(StaffScopeEntity, { holder: this.holder(accountId), companyId });
    }
  }

  /** Everything held by the account: its roles and its scope (when the account is deleted). */
  async forget(manager: EntityManager, accountId: string): Promise<void> {
    const holder = In(this.holders(accountId));
    await manager.delete(StaffRoleEntity, { holder });
    await manager.delete(StaffScopeEntity, { holder });
  }

  /** The account's role rows; rows under the previous key are moved to the current one. */
  private async rolesOf(accountId: string, manager?: EntityManager): Promise<StaffRoleEntity[]> {
    const holders = this.holders(accountId);
    const run = manager ?? this.dataSource.manager;
    const rows = await run.findBy(StaffRoleEntity, { holder: In(holders) });
    const stale = rows.filter((row) => row.holder !== holders[0]);
    if (stale.length === 0) return rows;
    const move = async (m: EntityManager) => {
      for (const row of stale) {
        await m.delete(StaffRoleEntity, { holder: row.holder, role: row.role });
        if (!rows.some((r) => r.holder === holders[0] && r.role === row.role)) {
          await m.insert(StaffRoleEntity, { ...row, holder: holders[0] });
        }
      }
      await m.update(StaffScopeEntity, { holder: In(holders.slice(1)) }, { holder: holders[0] });
    };
    await (manager === undefined ? this.dataSource.transaction(move) : move(manager));
    return rows.map((row) => ({ ...row, holder: holders[0] }));
  }

  /** The account's holder tokens: under the current key, then the previous one. */
  private holders(accountId: string): string[] {
    return this.keys.keys('staff-holder').map((key) => tokenOf(key, accountId));
  }
}

function tokenOf(key: Buffer, accountId: string): string {
  return createHmac('sha256', key).update(accountId).digest('hex');
}
