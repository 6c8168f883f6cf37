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
import { LoopPacer } from '../../infrastructure/events/loop-pacer';
import { ActivityNotifications, keyedNotificationId } from './activity-notifications';
import { NotificationsService } from './notifications.service';
import { ReporterStatsService } from './reporter-stats.service';
import { SanctionKind } from './sanction-kind';
import { SanctionsService } from './sanctions.service';
import { SealedAccounts } from './sealed-accounts';

/**
 * Notifications written per identity transaction of a mixed batch: a few tens of milliseconds
 * of SQLite's one connection at most, and random groups of the batch's shuffled notices.
 */
export const NOTIFICATIONS_PER_TRANSACTION = 50;

/**
 * Applies what moderation decisions do to people, and tells authors that their polls have
 * closed (`identity.effects`), in **mixed batches**
 * (docs/anonymity.md, "Mixed delivery"): the effects of every decision of a batch are
 * shuffled together and written as of the batch's time, each kind in random order (sanctions
 * and lifts in one identity transaction, notifications in random groups of at most
 * NOTIFICATIONS_PER_TRANSACTION, reporters' counts last). So the identity store's rows —
 * sanctions, notifications, reporters' counts — carry neither the order nor the time of the
 * decisions that caused them, and on PostgreSQL the transaction ids they share group them only
 * by chance.
 *
 * An effect that is malformed or whose person no longer exists is skipped (and logged by
 * its kind only); a store error fails the batch, which is retried as a whole. Sanctions and
 * notifications are written under ids fixed by the event, so a batch delivered twice writes
 * them once (but a comment added to a followed thread's unread notice, not written under an id
 * of its own, is counted again when a batch that failed after writing that notice's group is
 * retried); a reporter's count can be counted twice if the process dies between the last
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

  /**
   * Writes a batch's effects, each kind in random order: sanctions and lifts in one identity
   * transaction; then the notifications, in transactions of at most NOTIFICATIONS_PER_TRANSACTION
   * (random groups of the shuffled batch), paced between them (`LoopPacer`); then the
   * reporters' counts, last, so that a batch that fails part-way and is retried whole counts
   * them once (sanctions, lifts and notifications are written under ids fixed by the event).
   * A batch of a thousand comments' notices written in one transaction held SQLite's
   * synchronous connection, and so every request, for a quarter of a second and more; written
   * in groups but unpaced, a batch's CPU still queued requests for seconds when the server was
   * busy (docs/performance.md).
   */
  async apply(batch: readonly IdentityEffects[]): Promise<void> {
    const effects = shuffled(batch.flatMap((event) => event.effects));
    const now = new Date();
    // Who hears of new comments is settled first: it reads both stores (the access policy).
    // The batch is paced: it takes a bounded share of the event loop (docs/performance.md).
    const pacer = new LoopPacer();
    const activity = await this.activity.deliveries(
      effects.filter((effect): effect is ActivityEffect => effect.kind === 'activity'),
      pacer,
    );
    // A person is looked up in the transaction that writes to them: one deleted meanwhile is skipped.
    const personOf = (
      effect: AuthorEffect | ReporterEffect | PollClosedEffect,
      manager: EntityManager,
    ) => this.accounts.accountIdOf(effect.sealedRef, manager);
    const sanctionLines = await this.applySanctions(effects, personOf, now);
    const notices: Array<(manager: EntityManager) => Promise<unknown>> = shuffled([
      ...effects.flatMap((effect) =>
        effect.kind === 'lift' || effect.kind === 'activity'
          ? []
          : [
              async (manager: EntityManager) => {
                const accountId = await personOf(effect, manager);
                if (!accountId) return;
                await this.skipInvalid('notification', () =>
                  this.notify(
                    manager,
                    accountId,
                    effect,
                    sanctionLines.get(effect as AuthorEffect),
                    now,
                  ),
                );
              },
            ],
      ),
      ...activity.map(
        (delivery) => (manager: EntityManager) =>
          this.skipInvalid('notification', () => this.activity.writeIn(manager, delivery, now)),
      ),
    ]);
    for (let from = 0; from < notices.length; from += NOTIFICATIONS_PER_TRANSACTION) {
      if (from > 0) await pacer.pause();
      // Notifications are kept by no instance (a session's principal holds none of them):
      // their commits drop no cache and are not announced.
      await this.transactions.run(
        IDENTITY_STORE,
        async (manager) => {
          for (const write of notices.slice(from, from + NOTIFICATIONS_PER_TRANSACTION))
            await write(manager);
        },
        {},
      );
    }
    const reporters = effects.filter(
      (effect): effect is ReporterEffect => effect.kind === 'reporter',
    );
    if (reporters.length === 0) return;
    await this.transactions.run(IDENTITY_STORE, async (manager) => {
      for (const effect of reporters) {
        const accountId = await personOf(effect, manager);
        if (accountId) await this.reporterStats.recordIn(manager, accountId, effect.upheld);
      }
    });
  }

  /**
   * Applies the batch's sanctions and lifts in one identity transaction (none when it holds
   * neither); the line each sanctioned author's notification adds.
   */
  private async applySanctions(
    effects: readonly IdentityEffect[],
    personOf: (effect: AuthorEffect, manager: EntityManager) => Promise<string | null>,
    now: Date,
  ): Promise<Map<AuthorEffect, string>> {
    const binding = effects.some(
      (effect) => effect.kind === 'lift' || (effect.kind === 'author' && effect.sanction !== null),
    );
    if (!binding) return new Map();
    return this.transactions.run(IDENTITY_STORE, async (manager) => {
      const lines = new Map<AuthorEffect, string>();
      for (const effect of effects) {
        if (effect.kind !== 'author' || effect.sanction === null) continue;
        const accountId = await personOf(effect, manager);
        if (!accountId) continue;
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
        if (applied) lines.set(effect, sanctionText(applied.kind, applied.endsAt));
      }
      for (const effect of effects) {
        if (effect.kind === 'lift')
          await this.sanctions.liftIn(manager, effect.sanctionHandle, now);
      }
      return lines;
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
