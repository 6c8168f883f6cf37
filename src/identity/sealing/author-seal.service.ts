import { Injectable } from '@nestjs/common';
import { UnauthenticatedException } from '../../common/errors';
import { AccountsRepository } from '../accounts/accounts.repository';
import { SealedReferenceService } from './sealed-reference.service';

/**
 * The sealed author reference for a new post by an account: its random seal id, sealed. The
 * seal id itself never leaves the identity module.
 */
@Injectable()
export class AuthorSealService {
  constructor(
    private readonly sealing: SealedReferenceService,
    private readonly accounts: AccountsRepository,
  ) {}

  async sealFor(accountId: string): Promise<string> {
    const sealId = await this.accounts.findSealId(accountId);
    if (sealId === null) throw new UnauthenticatedException();
    return this.sealing.seal(sealId);
  }
}
