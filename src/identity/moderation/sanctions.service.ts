import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundException } from '../../common/errors';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import type {
  AuthorEffect,
  IdentityEffect,
} from '../../infrastructure/events/domain-event-catalogue';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { openBox, sealBox } from '../sealing/sealed-box';
import { ceilToHour, floorToHour } from './coarse-time';
import {
  InvalidSanctionException,
  PostingRestrictedException,
  PostingRestrictionReason,
} from './moderation-support.exception';
import { SanctionKind } from './sanction-kind';
import { SanctionsRepository } from './sanctions.repository';
import { SealedAccounts } from './sealed-accounts';

export interface SanctionRequest {
  kind: SanctionKind;
  /** Length of a SUSPENSION, 1–3650 days; ignored for WARNING and BAN. */
  days: number | null;
  /** The decision's reason code from the moderation taxonomy (1–64 of A–Z a–z 0–9 _ . : -). */
  reasonCode: string;
}

/** An author's earlier upheld sanctions, counted by kind over a window (`historyOf`). */
export interface SanctionHistory {
  windowDays: number;
  warnings: number;
  suspensions: number;
  bans: number;
}

/** The window `historyOf` counts over. */
export const SANCTION_HISTORY_DAYS = 365;

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
    private readonly events: DomainEvents,
    private readonly sanctions: SanctionsRepository,
  ) {}

  /**
   * A new sanction's handle, made before the sanction is written: a decision keeps it with
   * its review item in its own transaction and the sanction itself is written later, in a
   * mixed batch (`applyIn`). The handle is the sanction's future id, sealed.
   */
  newHandle(): string {
    return sealBox(this.keys.key('sanction-handle'), HANDLE_AAD, randomUUID());
  }

  /**
   * Validates a sanction request (BAD_USER_INPUT for a SUSPENSION without 1–3650 whole days
   * or a malformed reason code) without writing anything.
   */
  validate(input: SanctionRequest): void {
    validReasonCode(input.reasonCode);
    endOf(input, new Date());
  }

  /**
   * Sanctions the author (or reporter) behind `sealedRef` at once. Null when the reference
   * opens to no account (deleted, or not a reference at all). BAD_USER_INPUT for a SUSPENSION
   * without 1–3650 whole days or a malformed reason code, whether or not the account exists.
   * Decisions do not call this: their sanctions go out in mixed batches (`applyIn`).
   */
  async applyToAuthor(sealedRef: string, input: SanctionRequest): Promise<AppliedSanction | null> {
    this.validate(input);
    const handle = this.newHandle();
    const applied = await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const accountId = await this.accounts.accountIdOf(sealedRef, manager);
      if (accountId === null) return null;
      return this.applyIn(manager, accountId, handle, input, new Date());
    });
    if (applied === null) return null;
    return { sanctionId: handle, kind: applied.kind, endsAt: applied.endsAt };
  }

  /**
   * Writes the sanction behind `handle` on the account, with `manager` (an identity
   * transaction), as of `now` (a suspension ends `days` after it, rounded up to the hour; the
   * row keeps the hour only). Idempotent: a sanction already written is left as it is. Null
   * when the handle is not one of this server's or the account no longer exists.
   */
  async applyIn(
    manager: EntityManager,
    accountId: string,
    handle: string,
    input: SanctionRequest,
    now: Date,
  ): Promise<{ kind: SanctionKind; endsAt: Date | null } | null> {
    const reasonCode = validReasonCode(input.reasonCode);
    const endsAt = endOf(input, now);
    const id = openBox(this.keys.keys('sanction-handle'), HANDLE_AAD, handle);
    if (id === null) return null;
    if (!(await this.accounts.exists(accountId, manager))) return null;
    const existing = await this.sanctions.findById(manager, id);
    if (existing !== null) return { kind: existing.kind, endsAt: existing.endsAt };
    await this.sanctions.insert(manager, {
      id,
      accountId,
      kind: input.kind,
      reasonCode,
      createdAt: floorToHour(now),
      endsAt,
      liftedAt: null,
    });
    return { kind: input.kind, endsAt };
  }

  /**
   * Lifts a sanction (an appeal was upheld). Idempotent: lifting twice, or lifting a sanction
   * whose account has since been deleted, does nothing. NOT_FOUND for a handle this server
   * did not issue.
   */
  async lift(sanctionId: string): Promise<void> {
    if (openBox(this.keys.keys('sanction-handle'), HANDLE_AAD, sanctionId) === null) {
      throw new NotFoundException('No such sanction.');
    }
    await this.transactions.run(IDENTITY_STORE, (manager) =>
      this.liftIn(manager, sanctionId, new Date()),
    );
  }

  /** Lifts the sanction behind `handle` with `manager`, as of `now`; idempotent. */
  async liftIn(manager: EntityManager, handle: string, now: Date): Promise<void> {
    const id = openBox(this.keys.keys('sanction-handle'), HANDLE_AAD, handle);
    if (id === null) return;
    await this.sanctions.lift(manager, id, floorToHour(now));
  }

  /**
   * The sanctions of the account behind `sealedRef` written in the last `SANCTION_HISTORY_DAYS`
   * days and not lifted on appeal, counted by kind; null when the reference opens to no
   * account (deleted). Counts only: nothing names the account, a post or a time. Sanctions
   * still waiting for their mixed batch are not counted (docs/anonymity.md, "Author history").
   */
  async historyOf(sealedRef: string, now = new Date()): Promise<SanctionHistory | null> {
    return (await this.historiesOf([sealedRef], now))[0];
  }

  /** `historyOf` for several references at once (a page of review items): two statements. */
  async historiesOf(
    sealedRefs: readonly string[],
    now = new Date(),
  ): Promise<Array<SanctionHistory | null>> {
    const accountIds = await this.accounts.accountIdsOf(sealedRefs);
    const since = new Date(now.getTime() - SANCTION_HISTORY_DAYS * 86_400_000);
    const counts = await this.sanctions.countUpheldSince(
      accountIds.filter((id): id is string => id !== null),
      since,
    );
    return accountIds.map((accountId) => {
      if (accountId === null) return null;
      const byKind = counts.get(accountId);
      return {
        windowDays: SANCTION_HISTORY_DAYS,
        warnings: byKind?.get(SanctionKind.WARNING) ?? 0,
        suspensions: byKind?.get(SanctionKind.SUSPENSION) ?? 0,
        bans: byKind?.get(SanctionKind.BAN) ?? 0,
      };
    });
  }

  /**
   * Refuses (FORBIDDEN, `extensions.reason` SUSPENDED or BANNED, `extensions.until`) when the
   * account has an active suspension or ban, stored or still waiting for its mixed batch: one
   * query on the `account_id` index and one read of the pending events. A ban wins over a
   * suspension; of several suspensions the one ending last is reported.
   */
  async assertMayPost(accountId: string): Promise<void> {
    const restriction = await this.restrictionOf(accountId);
    if (restriction !== null) throw restriction;
  }

  /** The refusal assertMayPost throws, or null when the account may post. */
  async restrictionOf(accountId: string): Promise<PostingRestrictedException | null> {
    const [stored, pending] = await Promise.all([
      this.storedRestriction(accountId),
      this.pendingRestriction(accountId),
    ]);
    return refusalFor([...stored, ...pending]);
  }

  /**
   * Restricting sanctions decided but still waiting for their mixed batch (in the content
   * store's outbox): they bind at once. Each pending sanction's sealed reference is checked
   * against the account's seal with the key; nothing is written.
   */
  private async pendingRestriction(accountId: string): Promise<Restriction[]> {
    const now = new Date();
    const pending = (await this.events.pending('identity.effects')).flatMap((e) => e.effects);
    const lifted = new Set(pending.flatMap((e) => (e.kind === 'lift' ? [e.sanctionHandle] : [])));
    const restricting = pending.flatMap((e) =>
      restricts(e) && !lifted.has(e.sanction.handle)
        ? [
            {
              sealedRef: e.sealedRef,
              request: { ...e.sanction, kind: e.sanction.kind as SanctionKind },
            },
          ]
        : [],
    );
    const mine = await this.accounts.whichAre(
      accountId,
      restricting.map((r) => r.sealedRef),
    );
    // As if its batch went out now: when it is written, it ends no earlier than this.
    return restricting
      .filter((_, i) => mine[i])
      .map(({ request }) => ({ kind: request.kind, endsAt: endOf(request, now) }));
  }

  private storedRestriction(accountId: string): Promise<Restriction[]> {
    return this.sanctions.findInForce(accountId, RESTRICTING, new Date());
  }
}

/**
 * Whether an identity effect binds before its mixed batch is delivered: a restricting sanction
 * (suspension, ban) or a lift, which cancels one. Events holding such an effect are published
 * `readBeforeDelivery`, and only those are read by `restrictionOf` (DomainEvents.pending).
 */
export function bindsAtOnce(effect: IdentityEffect): boolean {
  return restricts(effect) || effect.kind === 'lift';
}

/** An author effect carrying a suspension or a ban (a warning restricts nothing). */
function restricts(
  effect: IdentityEffect,
): effect is AuthorEffect & { readonly sanction: NonNullable<AuthorEffect['sanction']> } {
  return effect.kind === 'author' && effect.sanction !== null && effect.sanction.kind !== 'WARNING';
}

interface Restriction {
  kind: SanctionKind;
  endsAt: Date | null;
}

/** The refusal for the active restrictions: a ban wins; else the suspension ending last. */
function refusalFor(active: Restriction[]): PostingRestrictedException | null {
  if (active.length === 0) return null;
  if (active.some((s) => s.kind === SanctionKind.BAN || s.endsAt === null)) {
    return new PostingRestrictedException(PostingRestrictionReason.BANNED, null);
  }
  const until = Math.max(...active.map((s) => (s.endsAt as Date).getTime()));
  return new PostingRestrictedException(PostingRestrictionReason.SUSPENDED, new Date(until));
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
