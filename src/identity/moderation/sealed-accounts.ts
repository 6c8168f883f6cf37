import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { SealedReferenceService } from '../sealing/sealed-reference.service';

/**
 * Opens a sealed reference (of a post's author or of a reporter) to the account behind it.
 * Internal to the identity module and deliberately NOT exported: the services built on it
 * (sanctions, notifications, reporter accuracy) act on the account and return nothing that
 * names it, so moderation reaches a person without learning who it is.
 */
@Injectable()
export class SealedAccounts {
  constructor(
    private readonly sealing: SealedReferenceService,
    private readonly accounts: AccountsRepository,
  ) {}

  /** The account id, or null when the reference is invalid or its account was deleted. */
  async accountIdOf(sealedRef: string, manager?: EntityManager): Promise<string | null> {
    const sealId = this.sealing.open(sealedRef);
    if (sealId === null) return null;
    return this.accounts.findIdBySealId(sealId, manager);
  }

  /** The accounts behind `sealedRefs`, in their order (null: opens to no account): one lookup. */
  async accountIdsOf(sealedRefs: readonly string[]): Promise<Array<string | null>> {
    const sealIds = sealedRefs.map((ref) => this.sealing.open(ref));
    const ids = await this.accounts.findIdsBySealIds(
      sealIds.filter((id): id is string => id !== null),
    );
    return sealIds.map((id) => (id === null ? null : (ids.get(id) ?? null)));
  }

  /** Which of `sealedRefs` open to the account `accountId` (one lookup, then keyed checks). */
  async whichAre(accountId: string, sealedRefs: readonly string[]): Promise<boolean[]> {
    if (sealedRefs.length === 0) return [];
    const sealId = await this.accounts.findSealId(accountId);
    if (sealId === null) return sealedRefs.map(() => false);
    return sealedRefs.map((ref) => this.sealing.open(ref) === sealId);
  }

  /** Whether the account still exists, in the caller's transaction if given. */
  exists(accountId: string, manager?: EntityManager): Promise<boolean> {
    return this.accounts.exists(accountId, manager);
  }
}
