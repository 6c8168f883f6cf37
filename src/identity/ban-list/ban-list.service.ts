import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { AppException, ErrorCode } from '../../common/errors';
import { ceilToDay } from '../../common/time';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { BanEntryEntity } from './ban-entry.entity';

const DAY_MS = 86_400_000;

/**
 * A listed address tried to sign up or to verify an employer. Said only after the code was
 * right, so only whoever reads the mailbox hears it; and it says no more than that the
 * address cannot be used for now: no reason, no sanction, no date.
 */
export class BannedAddressException extends AppException {
  constructor(field: string) {
    super(
      ErrorCode.FORBIDDEN,
      'This address cannot be used to sign up or to verify an employer for now.',
      {
        reason: 'BANNED',
        fields: [field],
      },
    );
  }
}

/** What the account being deleted is under: a ban, or a suspension ending at `until`. */
export type Restriction = { kind: 'BAN' } | { kind: 'SUSPENSION'; until: Date };

/**
 * Keeps a banned or suspended person from escaping by deleting the account and signing up
 * again with the same address (docs/anonymity.md, "Trade-offs"). When such an account is
 * deleted, the blind indexes of its sign-in address and of its work addresses are kept,
 * re-keyed under the `ban-list` key, until the suspension ends or, for a ban, for
 * BAN_LIST_DAYS. Expired entries are deleted whenever the list is read or written.
 */
@Injectable()
export class BanListService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyRing,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  /** Lists `indexes` (blind indexes under the email-index key) in the caller's transaction. */
  async remember(
    manager: EntityManager,
    indexes: readonly string[],
    restriction: Restriction,
  ): Promise<void> {
    const now = new Date();
    const expiresAt = ceilToDay(
      restriction.kind === 'BAN'
        ? new Date(now.getTime() + this.config.BAN_LIST_DAYS * DAY_MS)
        : restriction.until,
    );
    await manager.delete(BanEntryEntity, { expiresAt: LessThan(now) });
    for (const entry of new Set(
      indexes.map((index) => this.entry(this.keys.key('ban-list'), index)),
    )) {
      const existing = await manager.findOneBy(BanEntryEntity, { entry });
      if (existing !== null && existing.expiresAt.getTime() >= expiresAt.getTime()) continue;
      await manager.save(BanEntryEntity, { entry, expiresAt });
    }
  }

  /**
   * Refuses with FORBIDDEN (reason BANNED) when one of `candidates` (the address's blind
   * indexes, under the current and previous keys) is listed and not expired.
   */
  async assertNotListed(candidates: readonly string[], field = 'email'): Promise<void> {
    const now = new Date();
    const repository = this.identity.getRepository(BanEntryEntity);
    await repository.delete({ expiresAt: LessThan(now) });
    const entries = this.keys
      .keys('ban-list')
      .flatMap((key) => candidates.map((index) => this.entry(key, index)));
    const listed = await repository.countBy({ entry: In(entries), expiresAt: MoreThan(now) });
    if (listed > 0) throw new BannedAddressException(field);
  }

  private entry(key: Buffer, index: string): string {
    return createHmac('sha256', key).update(index).digest('hex');
  }
}
