import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '../../common/errors';
import { shuffled } from '../../common/shuffle';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import type {
  ActivityEffect,
  AuthorEffect,
  IdentityEffect,
  IdentityEffects,
  PollClosedEffect,
  ReporterEffect,
} from '../../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ActivityNotifications, keyedNotificationId } from './activity-notifications';
import { NotificationsService } from './notifications.service';
import { ReporterStatsService } from './reporter-stats.service';
import { SanctionKind } from './sanction-kind';
import { SanctionsService } from './sanctions.service';
import { SealedAccounts } from './sealed-accounts';

/**
 * Applies what moderation decisions do to people, and tells authors that their polls have
 * closed (`identity.effects`), in **mixed batches**
 * (docs/anonymity.md, "Mixed delivery"): the effects of every decision of a batch are
 * shuffled together and written in one identity transaction, as of the batch's time. So the
 * identity store's rows — sanctions, notifications, reporters' counts — carry neither the
 * order nor the time of the decisions that caused them, and on PostgreSQL they share one
 * transaction id.
 *
 * An effect that is malformed or whose person no longer exists is skipped (and logged by
 * its kind only); a store error fails the batch, which is retried as a whole. Sanctions and
 * notifications are written under ids fixed by the event, so a batch delivered twice writes
 * them once; a reporter's count can be counted twice if the process dies between the batch's
 * commit and the outbox's delete.
 */
@Injectable()
export class IdentityEffectsHandler implements OnModuleInit {
  private readonly logger = new Logger(IdentityEffectsHandler.name);

  constructor(
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly keys: KeyRing,
    private readonly transactions: TransactionRunner,
    private readonly accounts: SealedAccounts,
    private readonly sanctions: SanctionsService,
    private readonly notifications: NotificationsService,
    private readonly reporterStats: ReporterStatsService,
    private readonly activity: ActivityNotifications,
  ) {}

  onModuleInit(): void {
    this.events.handleMixed(
      'identity.effects',
      'identity.effects',
      {
        windowMs: this.config.IDENTITY_MIX_WINDOW_SECONDS * 1000,
        minBatch: this.config.IDENTITY_MIX_MIN_BATCH,
        maxWaitMs: this.config.IDENTITY_MIX_MAX_WAIT_SECONDS * 1000,
      },
      (batch) => this.apply(batch),
    );
  }

  /** Writes a batch's effects in one identity transaction, table by table, each in random order. */
  async apply(batch: readonly IdentityEffects[]): Promise<void> {
    const effects = shuffled(batch.flatMap((event) => event.effects));
    const now = new Date();
    // Who hears of new comments is settled first: it reads both stores (the access policy).
    const activity = shuffled(
      await this.activity.deliveries(
        effects.filter((effect): effect is ActivityEffect => effect.kind === 'activity'),
      ),
    );
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      const people = new Map<IdentityEffect, string | null>();
      for (const effect of effects) {
        if (
          effect.kind === 'author' ||
          effect.kind === 'reporter' ||
          effect.kind === 'pollClosed'
        ) {
          people.set(effect, await this.accounts.accountIdOf(effect.sealedRef, manager));
        }
      }
      const sanctionLines = new Map<AuthorEffect, string>();
      for (const effect of effects) {
        const accountId = people.get(effect);
        if (effect.kind !== 'author' || effect.sanction === null || !accountId) continue;
        const { handle, kind, days, reasonCode } = effect.sanction;
        const applied = await this.skipInvalid('sanction', () =>
          this.sanctions.applyIn(
            manager,
            accountId,
            handle,
            { kind: kind as SanctionKind, days, reasonCode },
            now,
          ),
        );
        if (applied) sanctionLines.set(effect, sanctionText(applied.kind, applied.endsAt));
      }
      for (const effect of effects) {
        if (effect.kind === 'lift')
          await this.sanctions.liftIn(manager, effect.sanctionHandle, now);
      }
      for (const effect of effects) {
        const accountId = people.get(effect);
        if (effect.kind === 'lift' || effect.kind === 'activity' || !accountId) continue;
        await this.skipInvalid('notification', () =>
          this.notify(manager, accountId, effect, sanctionLines.get(effect as AuthorEffect), now),
        );
      }
      for (const delivery of activity) {
        await this.skipInvalid('notification', () => this.activity.writeIn(manager, delivery, now));
      }
      for (const effect of effects) {
        const accountId = people.get(effect);
        if (effect.kind === 'reporter' && accountId) {
          await this.reporterStats.recordIn(manager, accountId, effect.upheld);
        }
      }
    });
  }

  private async notify(
    manager: EntityManager,
    accountId: string,
    effect: AuthorEffect | ReporterEffect | PollClosedEffect,
    sanctionLine: string | undefined,
    now: Date,
  ): Promise<void> {
    const id = this.notificationId(effect.effectId);
    const at = new Date(effect.at);
    if (effect.kind === 'pollClosed') {
      await this.notifications.writeIn(
        manager,
        accountId,
        id,
        {
          kind: 'POLL_CLOSED',
          message: 'The poll in your thread has closed; its results are final.',
          contentId: effect.contentId,
        },
        at,
        now,
      );
      return;
    }
    if (effect.kind === 'reporter') {
      await this.notifications.writeIn(
        manager,
        accountId,
        id,
        {
          kind: 'REPORT_OUTCOME',
          message: effect.upheld
            ? 'Thank you: a moderator reviewed the post you reported and removed it.'
            : 'A moderator reviewed the post you reported and left it up.',
          contentId: effect.contentId,
        },
        at,
        now,
      );
      return;
    }
    if (effect.message === null) return;
    const message =
      sanctionLine === undefined ? effect.message : `${effect.message} ${sanctionLine}`;
    await this.notifications.writeIn(
      manager,
      accountId,
      id,
      {
        kind: effect.appeal === true ? 'APPEAL_OUTCOME' : 'CONTENT_DECISION',
        message,
        contentId: effect.contentId,
      },
      at,
      now,
    );
  }

  /**
   * The notification's id for an effect: a UUID-shaped keyed hash of the effect's random id,
   * the same at every delivery, and unrelated to it without the key.
   */
  private notificationId(effectId: string): string {
    return keyedNotificationId(this.keys, `effect:${effectId}`);
  }

  /** Runs one effect; a refusal of its input (a client error) skips it instead of failing the batch. */
  private async skipInvalid<T>(what: string, work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error: unknown) {
      if (!(error instanceof AppException)) throw error;
      this.logger.warn({ msg: `A moderation effect was skipped: invalid ${what}` });
      return null;
    }
  }
}

/** The line a sanctioned author's notification ends with. */
export function sanctionText(kind: SanctionKind, endsAt: Date | null): string {
  switch (kind) {
    case SanctionKind.WARNING:
      return 'This is a formal warning.';
    case SanctionKind.SUSPENSION:
      return `You are suspended from posting until ${endsAt?.toISOString() ?? 'further notice'}.`;
    case SanctionKind.BAN:
      return 'You are banned from posting.';
  }
}
