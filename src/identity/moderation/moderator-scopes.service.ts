import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotFoundException } from '../../common/errors';
import { CompaniesService } from '../../companies/companies.service';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AccountsService } from '../accounts/accounts.service';
import { ModeratorScopeEntity } from './moderator-scope.entity';
import { type AuditActor, AuditTrail } from '../../audit/audit-trail.service';
import { PseudonymService } from '../pseudonyms/pseudonym.service';

/**
 * Moderators scoped to one company's board (SPEC §5 "moderators can be scoped to a company's
 * board"). The scope is kept whatever the account's roles: granting MODERATOR again after a
 * revocation finds the old, narrower scope rather than silently widening it to every board.
 */
@Injectable()
export class ModeratorScopesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly companies: CompaniesService,
    private readonly transactions: TransactionRunner,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    private readonly audit: AuditTrail,
    private readonly pseudonyms: PseudonymService,
  ) {}

  /** The company whose board the account may moderate, or null for every board. */
  async scopeOf(accountId: string): Promise<string | null> {
    const row = await this.identity.getRepository(ModeratorScopeEntity).findOneBy({ accountId });
    return row?.companyId ?? null;
  }

  /**
   * Scopes the account with this address to one company's board, or (companyId null) removes
   * its scope. NOT_FOUND for an unknown address (as grantRole) or an unknown company.
   */
  async scope(rawEmail: string, companyId: string | null, actor: AuditActor): Promise<void> {
    const account = await this.accounts.accountByEmail(rawEmail);
    if (companyId !== null && (await this.companies.byId(companyId)) === null) {
      throw new NotFoundException('No such company.');
    }
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if (companyId === null) {
        await manager.delete(ModeratorScopeEntity, { accountId: account.id });
      } else {
        await manager.upsert(ModeratorScopeEntity, { accountId: account.id, companyId }, [
          'accountId',
        ]);
      }
      await this.audit.record(manager, {
        actor,
        action: 'moderator.scope',
        subject: `staff:${this.pseudonyms.staffHandle(account.id)}`,
        detail: { companyId },
      });
    });
  }
}
