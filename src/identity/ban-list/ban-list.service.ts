import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException, ErrorCode } from '../../common/errors';
import { ceilToDay } from '../../common/time';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { BanListRepository } from './ban-list.repository';

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
    private readonly entries: BanListRepository,
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
    await this.entries.deleteExpired(now, manager);
    for (const entry of new Set(
      indexes.map((index) => this.entry(this.keys.key('ban-list'), index)),
    )) {
      const existing = await this.entries.findByEntry(manager, entry);
      if (existing !== null && existing.expiresAt.getTime() >= expiresAt.getTime()) continue;
      await this.entries.save(manager, { entry, expiresAt });
    }
  }

  /**
   * Refuses with FORBIDDEN (reason BANNED) when one of `candidates` (the address's blind
   * indexes, under the current and previous keys) is listed and not expired.
   */
  async assertNotListed(candidates: readonly string[], field = 'email'): Promise<void> {
    const now = new Date();
    await this.entries.deleteExpired(now);
    const entries = this.keys
      .keys('ban-list')
      .flatMap((key) => candidates.map((index) => this.entry(key, index)));
    const listed = await this.entries.countListed(entries, now);
    if (listed > 0) throw new BannedAddressException(field);
  }

  private entry(key: Buffer, index: string): string {
    return createHmac('sha256', key).update(index).digest('hex');
  }
}
