import { Injectable } from '@nestjs/common';
import { NotFoundException } from '../../common/errors';
import { CompaniesService } from '../../companies/companies.service';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AccountsService } from '../accounts/accounts.service';
import { StaffRecords } from '../staff/staff-records';
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
    private readonly staff: StaffRecords,
    private readonly audit: AuditTrail,
    private readonly pseudonyms: PseudonymService,
  ) {}

  /** The company whose board the account may moderate, or null for every board. */
  async scopeOf(accountId: string): Promise<string | null> {
    return this.staff.scopeOf(accountId);
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
      await this.staff.setScope(manager, account.id, companyId);
      await this.audit.record(manager, {
        actor,
        action: 'moderator.scope',
        subject: `staff:${this.pseudonyms.staffHandle(account.id)}`,
        detail: { companyId },
      });
    });
  }
}
