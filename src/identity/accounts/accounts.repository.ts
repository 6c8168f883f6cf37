import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { Role } from '../../infrastructure/auth/role';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { ofShape } from '../../infrastructure/database/sql-shapes';
import { EmailCodeEntity } from '../email/email-code.entity';
import { StaffRecords } from '../staff/staff-records';
import { AccountEntity } from './account.entity';

/** Accounts and their roles (identity store). */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    private readonly staff: StaffRecords,
  ) {}

  findById(id: string, manager?: EntityManager): Promise<AccountEntity | null> {
    return (manager ?? this.identity.manager).findOneBy(AccountEntity, { id });
  }

  /** Whether the account exists, in the caller's transaction if given. */
  async exists(id: string, manager?: EntityManager): Promise<boolean> {
    return (await (manager ?? this.identity.manager).countBy(AccountEntity, { id })) > 0;
  }

  /** The id of the account holding this seal id, or null (in the caller's transaction if given). */
  async findIdBySealId(sealId: string, manager?: EntityManager): Promise<string | null> {
    const account = await (manager ?? this.identity.manager)
      .getRepository(AccountEntity)
      .findOne({ where: { sealId }, select: { id: true } });
    return account?.id ?? null;
  }

  /** The ids of the accounts with these seal ids, by seal id (absent: no such account). */
  async findIdsBySealIds(sealIds: readonly string[]): Promise<Map<string, string>> {
    if (sealIds.length === 0) return new Map();
    const accounts = await this.identity
      .getRepository(AccountEntity)
      .find({ where: { sealId: In([...new Set(sealIds)]) }, select: { id: true, sealId: true } });
    return new Map(accounts.map((a) => [a.sealId, a.id]));
  }

  /** The account's seal id (it never leaves the identity module), or null when it has none. */
  async findSealId(id: string): Promise<string | null> {
    const query = this.identity
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .select(['a.id', 'a.sealId'])
      .where('a.id = :id', { id });
    const account = await ofShape(query, 'accounts.sealId').getOne();
    return account?.sealId ?? null;
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

  /**
   * The account, its email-code row and its staff roles and scope; sessions, memberships and
   * moderation rows go with it (cascade).
   */
  async delete(manager: EntityManager, account: AccountEntity): Promise<void> {
    await manager.delete(EmailCodeEntity, { emailIndex: account.emailIndex });
    await this.staff.forget(manager, account.id);
    await manager.delete(AccountEntity, { id: account.id });
  }

  roles(accountId: string): Promise<Role[]> {
    return this.staff.roles(accountId);
  }

  hasRole(manager: EntityManager, accountId: string, role: Role): Promise<boolean> {
    return this.staff.hasRole(manager, accountId, role);
  }

  grant(manager: EntityManager, accountId: string, role: Role, at: Date): Promise<void> {
    return this.staff.grant(manager, accountId, role, at);
  }

  revoke(manager: EntityManager, accountId: string, role: Role): Promise<void> {
    return this.staff.revoke(manager, accountId, role);
  }

  /** Whether `accountId` is the only holder of `role`, in the caller's transaction. */
  async isSoleHolder(manager: EntityManager, role: Role, accountId: string): Promise<boolean> {
    const { count, includes } = await this.staff.holdersOf(manager, role, accountId);
    return count === 1 && includes;
  }
}
