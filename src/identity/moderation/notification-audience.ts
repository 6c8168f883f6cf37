import { Injectable } from '@nestjs/common';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { AccountsRepository } from '../accounts/accounts.repository';

/** The comment a notification would quote, with its thread. */
export interface ActivityTarget {
  readonly threadId: string;
  readonly commentId: string;
}

/** Whether `principal` may read the comment (and its thread) now: the content access policy's READ. */
export type AudienceCheck = (principal: Principal, target: ActivityTarget) => Promise<boolean>;

/**
 * Whether a person may still be told about a comment: only someone who can read it now gets
 * text from it (a member who left the company, lost the board or for whom the comment is
 * withheld gets nothing). The identity module knows the account, the discussions module the
 * access policy, which registers its check here when the application starts (the identity
 * module imports nothing of discussions). With no check registered, nobody is told.
 */
@Injectable()
export class NotificationAudience {
  private check: AudienceCheck | null = null;

  constructor(private readonly accounts: AccountsRepository) {}

  register(check: AudienceCheck): void {
    if (this.check !== null) throw new Error('A notification audience check is registered');
    this.check = check;
  }

  async mayRead(accountId: string, target: ActivityTarget): Promise<boolean> {
    if (this.check === null) return false;
    const [account, roles] = await Promise.all([
      this.accounts.findById(accountId),
      this.accounts.roles(accountId),
    ]);
    if (account === null) return false;
    const principal: Principal = {
      accountId,
      sessionId: '',
      jurisdiction: account.jurisdiction,
      roles: new Set([Role.MEMBER, ...roles]),
    };
    return this.check(principal, target);
  }
}
