import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In, IsNull, MoreThan } from 'typeorm';
import { NotFoundException } from '../../common/errors';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AccountEntity } from '../accounts/account.entity';
import { openBox, sealBox } from '../sealing/sealed-box';
import { ceilToHour, floorToHour } from './coarse-time';
import {
  InvalidSanctionException,
  PostingRestrictedException,
  PostingRestrictionReason,
} from './moderation-support.exception';
import { SanctionKind } from './sanction-kind';
import { SanctionEntity } from './sanction.entity';
import { SealedAccounts } from './sealed-accounts';

export interface SanctionRequest {
  kind: SanctionKind;
  /** Length of a SUSPENSION, 1–3650 days; ignored for WARNING and BAN. */
  days: number | null;
  /** The decision's reason code from the moderation taxonomy (1–64 of A–Z a–z 0–9 _ . : -). */
  reasonCode: string;
}

export interface AppliedSanction {
  /**
   * An opaque handle of the sanction, for `lift`: the sanction's id sealed (AES-256-GCM, fresh
   * nonce), so storing it with a review item or an audit entry in the content store does not
   * join that store to the sanction's row (and thus its account) without the key.
   */
  sanctionId: string;
  kind: SanctionKind;
  /** When a SUSPENSION ends (rounded up to the hour); null for WARNING and BAN. */
  endsAt: Date | null;
}

const MAX_SUSPENSION_DAYS = 3650;
const REASON_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const HANDLE_AAD = 'workplace-forum/sanction-handle/v1';
const RESTRICTING: SanctionKind[] = [SanctionKind.SUSPENSION, SanctionKind.BAN];

/**
 * Sanctions reach the account behind a pseudonymous post (SPEC §5) through its sealed
 * reference: the server opens it, writes the sanction on the account, and answers with an
 * opaque handle. Nobody — moderator, moderation module, content store — learns the account.
 *
 * A sanction restricts posting while it is active: not lifted, of kind SUSPENSION or BAN, and
 * not yet ended (a BAN never ends). A WARNING is recorded but restricts nothing.
 */
@Injectable()
export class SanctionsService {
  constructor(
    private readonly accounts: SealedAccounts,
    private readonly keys: KeyRing,
    private readonly transactions: TransactionRunner,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  /**
   * Sanctions the author (or reporter) behind `sealedRef`. Null when the reference opens to no
   * account (deleted, or not a reference at all). BAD_USER_INPUT for a SUSPENSION without
   * 1–3650 whole days or a malformed reason code, whether or not the account exists.
   */
  async applyToAuthor(sealedRef: string, input: SanctionRequest): Promise<AppliedSanction | null> {
    const reasonCode = validReasonCode(input.reasonCode);
    const now = new Date();
    const endsAt = endOf(input, now);
    const accountId = await this.accounts.accountIdOf(sealedRef);
    if (accountId === null) return null;
    const row: SanctionEntity = {
      id: randomUUID(),
      accountId,
      kind: input.kind,
      reasonCode,
      createdAt: floorToHour(now),
      endsAt,
      liftedAt: null,
    };
    // Checked again inside the write: the account may have been deleted since the lookup.
    const written = await this.transactions.run(IDENTITY_STORE, async (manager) => {
      if ((await manager.countBy(AccountEntity, { id: accountId })) === 0) return false;
      await manager.insert(SanctionEntity, row);
      return true;
    });
    if (!written) return null;
    return {
      sanctionId: sealBox(this.keys.key('sanction-handle'), HANDLE_AAD, row.id),
      kind: row.kind,
      endsAt,
    };
  }

  /**
   * Lifts a sanction (an appeal was upheld). Idempotent: lifting twice, or lifting a sanction
   * whose account has since been deleted, does nothing. NOT_FOUND for a handle this server
   * did not issue.
   */
  async lift(sanctionId: string): Promise<void> {
    const id = openBox(this.keys.keys('sanction-handle'), HANDLE_AAD, sanctionId);
    if (id === null) throw new NotFoundException('No such sanction.');
    await this.transactions.run(IDENTITY_STORE, (manager) =>
      manager.update(
        SanctionEntity,
        { id, liftedAt: IsNull() },
        { liftedAt: floorToHour(new Date()) },
      ),
    );
  }

  /**
   * Refuses (FORBIDDEN, `extensions.reason` SUSPENDED or BANNED, `extensions.until`) when the
   * account has an active suspension or ban. One query on the `account_id` index. A ban wins
   * over a suspension; of several suspensions the one ending last is reported.
   */
  async assertMayPost(accountId: string): Promise<void> {
    const restriction = await this.restrictionOf(accountId);
    if (restriction !== null) throw restriction;
  }

  /** The refusal assertMayPost throws, or null when the account may post. */
  async restrictionOf(accountId: string): Promise<PostingRestrictedException | null> {
    const base = { accountId, liftedAt: IsNull(), kind: In(RESTRICTING) };
    const active = await this.identity.getRepository(SanctionEntity).find({
      select: { id: true, kind: true, endsAt: true },
      where: [
        { ...base, endsAt: IsNull() },
        { ...base, endsAt: MoreThan(new Date()) },
      ],
    });
    if (active.length === 0) return null;
    if (active.some((s) => s.kind === SanctionKind.BAN || s.endsAt === null)) {
      return new PostingRestrictedException(PostingRestrictionReason.BANNED, null);
    }
    const until = Math.max(...active.map((s) => (s.endsAt as Date).getTime()));
    return new PostingRestrictedException(PostingRestrictionReason.SUSPENDED, new Date(until));
  }
}

function validReasonCode(raw: string): string {
  const code = raw.trim();
  if (!REASON_CODE.test(code)) {
    throw new InvalidSanctionException(
      'reasonCode must be 1–64 letters, digits or _ . : - (a code from the reason taxonomy).',
      'reasonCode',
    );
  }
  return code;
}

function endOf(input: SanctionRequest, now: Date): Date | null {
  if (!Object.values(SanctionKind).includes(input.kind)) {
    throw new InvalidSanctionException('kind must be WARNING, SUSPENSION or BAN.', 'kind');
  }
  switch (input.kind) {
    case SanctionKind.WARNING:
    case SanctionKind.BAN:
      return null;
    case SanctionKind.SUSPENSION: {
      const days = input.days;
      if (days === null || !Number.isInteger(days) || days < 1 || days > MAX_SUSPENSION_DAYS) {
        throw new InvalidSanctionException(
          `A suspension needs a whole number of days from 1 to ${MAX_SUSPENSION_DAYS}.`,
          'days',
        );
      }
      return ceilToHour(new Date(now.getTime() + days * 86_400_000));
    }
  }
}
