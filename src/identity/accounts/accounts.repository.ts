import { Injectable } from '@nestjs/common';
import { utcDayStart } from '../../common/utc-days';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThan } from 'typeorm';
import type { Role } from '../../infrastructure/auth/role';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { EmailCodeEntity } from '../email/email-code.entity';
import { SessionEntity } from '../sessions/session.entity';
import { AccountRoleEntity } from './account-role.entity';
import { AccountEntity } from './account.entity';

/** Accounts and their roles (identity store). */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  findById(id: string, manager?: EntityManager): Promise<AccountEntity | null> {
    return (manager ?? this.identity.manager).findOneBy(AccountEntity, { id });
  }

  /** The account whose blind index is one of `indexes` (current key first, then previous). */
  findByEmailIndexes(
    indexes: readonly string[],
    manager?: EntityManager,
  ): Promise<AccountEntity | null> {
    return (manager ?? this.identity.manager).findOneBy(AccountEntity, {
      emailIndex: In([...indexes]),
    });
  }

  async insert(manager: EntityManager, account: AccountEntity): Promise<void> {
    await manager.insert(AccountEntity, account);
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Partial<Omit<AccountEntity, 'id'>>,
  ): Promise<void> {
    await manager.update(AccountEntity, { id }, changes);
  }

  /** Sessions of the account that have expired (pruned at each sign-in). */
  async deleteExpiredSessions(manager: EntityManager, accountId: string): Promise<void> {
    await manager.delete(SessionEntity, { accountId, expiresAt: LessThan(new Date()) });
  }

  /** The account and its email-code row; roles, sessions and memberships go with it (cascade). */
  async delete(manager: EntityManager, account: AccountEntity): Promise<void> {
    await manager.delete(EmailCodeEntity, { emailIndex: account.emailIndex });
    await manager.delete(AccountEntity, { id: account.id });
  }

  async roles(accountId: string): Promise<Role[]> {
    const rows = await this.identity.getRepository(AccountRoleEntity).findBy({ accountId });
    return rows.map((row) => row.role);
  }

  async hasRole(manager: EntityManager, accountId: string, role: Role): Promise<boolean> {
    return (await manager.countBy(AccountRoleEntity, { accountId, role })) > 0;
  }

  async grant(manager: EntityManager, accountId: string, role: Role, at: Date): Promise<void> {
    // The day only: a grant time to the millisecond would match the audit entry naming the
    // staff handle, and so resolve the handle to the account.
    await manager.insert(AccountRoleEntity, {
      accountId,
      role,
      grantedAt: new Date(utcDayStart(at)),
    });
  }

  async revoke(manager: EntityManager, accountId: string, role: Role): Promise<void> {
    await manager.delete(AccountRoleEntity, { accountId, role });
  }

  /** The accounts holding `role`, in the caller's transaction. */
  async holders(manager: EntityManager, role: Role): Promise<string[]> {
    const rows = await manager.findBy(AccountRoleEntity, { role });
    return rows.map((row) => row.accountId);
  }
}
