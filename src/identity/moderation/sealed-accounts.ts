import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
  async accountIdOf(sealedRef: string): Promise<string | null> {
    const sealId = this.sealing.open(sealedRef);
    if (sealId === null) return null;
    const account = await this.identity
      .getRepository(AccountEntity)
      .findOne({ where: { sealId }, select: { id: true } });
    return account?.id ?? null;
  }

  async exists(accountId: string): Promise<boolean> {
    return (await this.identity.getRepository(AccountEntity).countBy({ id: accountId })) > 0;
  }
}
