import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UnauthenticatedException } from '../../common/errors';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { AccountEntity } from '../accounts/account.entity';
import { SealedReferenceService } from './sealed-reference.service';

/**
 * The sealed author reference for a new post by an account: its random seal id, sealed. The
 * seal id itself never leaves the identity module.
 */
@Injectable()
export class AuthorSealService {
  constructor(
    private readonly sealing: SealedReferenceService,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  async sealFor(accountId: string): Promise<string> {
    const account = await this.identity
      .getRepository(AccountEntity)
      .findOne({ where: { id: accountId }, select: { id: true, sealId: true } });
    if (account === null) throw new UnauthenticatedException();
    return this.sealing.seal(account.sealId);
  }
}
