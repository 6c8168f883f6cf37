import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { AccountEntity } from '../accounts/account.entity';
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
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  /** The account id, or null when the reference is invalid or its account was deleted. */
  async accountIdOf(sealedRef: string, manager?: EntityManager): Promise<string | null> {
    const sealId = this.sealing.open(sealedRef);
    if (sealId === null) return null;
    const account = await (manager ?? this.identity.manager)
      .getRepository(AccountEntity)
      .findOne({ where: { sealId }, select: { id: true } });
    return account?.id ?? null;
  }

  /** Which of `sealedRefs` open to the account `accountId` (one lookup, then keyed checks). */
  async whichAre(accountId: string, sealedRefs: readonly string[]): Promise<boolean[]> {
    if (sealedRefs.length === 0) return [];
    const account = await this.identity
      .getRepository(AccountEntity)
      .findOne({ where: { id: accountId }, select: { sealId: true } });
    if (account === null) return sealedRefs.map(() => false);
    return sealedRefs.map((ref) => this.sealing.open(ref) === account.sealId);
  }

  async exists(accountId: string): Promise<boolean> {
    return (await this.identity.getRepository(AccountEntity).countBy({ id: accountId })) > 0;
  }
}
