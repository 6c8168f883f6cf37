import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../infrastructure/config/app-config';
import type { KeyRing } from '../../infrastructure/crypto/key-ring';
import type { Touched, TransactionRunner } from '../../infrastructure/database/transaction-runner';
import type {
  ActivityEffect,
  IdentityEffects,
  ReporterEffect,
} from '../../infrastructure/events/domain-event-catalogue';
import type { DomainEvents } from '../../infrastructure/events/domain-events';
import type { ActivityDelivery, ActivityNotifications } from './activity-notifications';
import { IdentityEffectsHandler, NOTIFICATIONS_PER_TRANSACTION } from './identity-effects.handler';
import { NotificationKind } from './notification-kind';
import type { NotificationsService } from './notifications.service';
import type { ReporterStatsService } from './reporter-stats.service';
import type { SanctionsService } from './sanctions.service';
import type { SealedAccounts } from './sealed-accounts';
import { activityEffect, turnCounter } from './testing/activity-effects';

const reporter = (i: number): ReporterEffect => ({
  kind: 'reporter',
  effectId: `report-${i}`,
  sealedRef: `reporter-${i}`,
  upheld: true,
  contentId: `content-${i}`,
  at: 0,
});

/** What one identity transaction wrote, and in which turn of the event loop it ran. */
interface Written {
  turn: number;
  notices: string[];
  counts: string[];
  /** What it declared it touched (TransactionRunner's Touched); undefined when it declared nothing. */
  touches: Touched | undefined;
}

/**
 * The handler with collaborators that answer at once, as SQLite's synchronous statements do,
 * recording each identity transaction's writes and the turn of the event loop it ran in.
 */
function handlerRecording(): {
  handler: IdentityEffectsHandler;
  transactions: Written[];
  stop: () => void;
} {
  const turns = turnCounter();
  const transactions: Written[] = [];
  let current: Written | null = null;
  const manager = {} as EntityManager;
  const run = async <T>(
    _store: string,
    work: (m: EntityManager) => Promise<T>,
    touches?: Touched,
  ): Promise<T> => {
    current = { turn: turns.turn(), notices: [], counts: [], touches };
    transactions.push(current);
    try {
      return await work(manager);
    } finally {
      current = null;
    }
  };
  const inTransaction = (): Written => {
    if (current === null) throw new Error('written outside a transaction');
    return current;
  };
  const activityNotifications = {
    deliveries: (effects: ActivityEffect[]) =>
      Promise.resolve(
        effects.map((effect): ActivityDelivery => ({
          accountId: `account-of-${effect.recipients[0].sealedRef}`,
          kind: NotificationKind.REPLY,
          toComment: false,
          effect,
        })),
      ),
    writeIn: (_m: EntityManager, delivery: ActivityDelivery) => {
      inTransaction().notices.push(delivery.effect.effectId);
      return Promise.resolve();
    },
  } as unknown as ActivityNotifications;
  const notifications = {
    writeIn: (_m: EntityManager, accountId: string) => {
      inTransaction().notices.push(accountId);
      return Promise.resolve(true);
    },
  } as unknown as NotificationsService;
  const reporterStats = {
    recordIn: (_m: EntityManager, accountId: string) => {
      inTransaction().counts.push(accountId);
      return Promise.resolve();
    },
  } as unknown as ReporterStatsService;
  const accounts = {
    accountIdOf: (ref: string) => Promise.resolve(`account-of-${ref}`),
  } as unknown as SealedAccounts;
  const keys = { key: () => Buffer.alloc(32, 7) } as unknown as KeyRing;
  const handler = new IdentityEffectsHandler(
    {} as DomainEvents,
    {} as AppConfig,
    keys,
    { run } as unknown as TransactionRunner,
    accounts,
    {} as SanctionsService,
    notifications,
    reporterStats,
    activityNotifications,
  );
  return { handler, transactions, stop: turns.stop };
}

describe('IdentityEffectsHandler.apply', () => {
  it("writes a large batch's notifications in bounded transactions, each in a turn of the event loop of its own", async () => {
    const { handler, transactions, stop } = handlerRecording();
    const comments = 2 * NOTIFICATIONS_PER_TRANSACTION + 7;
    const batch: IdentityEffects[] = [
      { effects: Array.from({ length: comments }, (_, i) => activityEffect(i)) },
      { effects: [reporter(1), reporter(2)] },
    ];

    await handler.apply(batch).finally(stop);

    const noticeTransactions = transactions.filter((t) => t.notices.length > 0);
    expect(noticeTransactions).toHaveLength(3);
    for (const t of noticeTransactions)
      expect(t.notices.length).toBeLessThanOrEqual(NOTIFICATIONS_PER_TRANSACTION);
    const written = noticeTransactions.flatMap((t) => t.notices);
    // Every notice once: the comments' and the two reporters' outcome notices.
    expect(written).toHaveLength(comments + 2);
    expect(new Set(written).size).toBe(comments + 2);
    // Requests get a turn between two transactions of notices.
    expect(new Set(noticeTransactions.map((t) => t.turn)).size).toBe(3);
    // The reporters' counts come last, in a transaction of their own, so a retried batch counts them once.
    const last = transactions.at(-1)!;
    expect(last.counts.sort()).toEqual(['account-of-reporter-1', 'account-of-reporter-2']);
    expect(last.notices).toEqual([]);
    expect(transactions.slice(0, -1).every((t) => t.counts.length === 0)).toBe(true);
  });

  it('opens no transaction for sanctions a batch does not hold; its notices drop no cache', async () => {
    const { handler, transactions, stop } = handlerRecording();
    await handler
      .apply([{ effects: [activityEffect(1), activityEffect(2)] }, { effects: [reporter(1)] }])
      .finally(stop);

    // Every transaction wrote something: none was opened empty for sanctions.
    expect(transactions.every((t) => t.notices.length + t.counts.length > 0)).toBe(true);
    const noticeTransactions = transactions.filter((t) => t.notices.length > 0);
    expect(noticeTransactions.length).toBeGreaterThan(0);
    // No instance keeps notifications: their commits declare that they touch nothing kept.
    for (const t of noticeTransactions) expect(t.touches).toEqual({});
    // The reporters' counts declare nothing (what may be kept from them is not known here).
    expect(transactions.at(-1)!.touches).toBeUndefined();
  });

  it('mixes the notices of a batch across its transactions rather than writing them in the order they came', async () => {
    const { handler, transactions, stop } = handlerRecording();
    const comments = 4 * NOTIFICATIONS_PER_TRANSACTION;
    await handler
      .apply([{ effects: Array.from({ length: comments }, (_, i) => activityEffect(i)) }])
      .finally(stop);
    const first = transactions.find((t) => t.notices.length > 0)!;
    // In arrival order the first transaction would hold effects 0–49 exactly.
    const inOrder = new Set(
      Array.from({ length: NOTIFICATIONS_PER_TRANSACTION }, (_, i) => `effect-${i}`),
    );
    expect(first.notices.filter((id) => inOrder.has(id)).length).toBeLessThan(
      NOTIFICATIONS_PER_TRANSACTION,
    );
  });
});
