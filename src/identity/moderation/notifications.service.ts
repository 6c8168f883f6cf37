import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { roundToMinute } from '../../common/time';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { floorToHour } from './coarse-time';
import { InvalidNotificationException } from './moderation-support.exception';
import { NotificationSealer } from './notification-sealer';
import type { Notification } from './notification.model';
import { notificationKindOf, NotificationKind } from './notification-kind';
import { SEALED_KIND } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';
import { SealedAccounts } from './sealed-accounts';

export interface NewNotification {
  /** What happened (a NotificationKind, e.g. 'REPLY'). Sealed with the message. */
  kind: NotificationKind | `${NotificationKind}`;
  /** Shown to the person as is (1–4000 characters). Sealed. */
  message: string;
  /** The thread or comment it is about. Sealed. */
  contentId: string | null;
}

/** The most notifications one list returns. */
export const NOTIFICATION_LIST_CAP = 200;
/** The most ids one markNotificationsRead call accepts. */
export const MARK_READ_CAP = 500;

const MAX_MESSAGE = 4000;
const MAX_CONTENT_ID = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tells people what happened to their content and their reports (SPEC §5) without the
 * identity store learning which content: the message and content id are sealed per row
 * (NotificationSealer), and moderation addresses the person only by a sealed reference.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly accounts: SealedAccounts,
    private readonly sealer: NotificationSealer,
    private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** Notifies the author or reporter behind `sealedRef`; false when it opens to no account. */
  async notifySealed(sealedRef: string, n: NewNotification): Promise<boolean> {
    const valid = validNotification(n);
    const accountId = await this.accounts.accountIdOf(sealedRef);
    return accountId === null ? false : this.write(accountId, valid);
  }

  /** Notifies a known account (the signed-in person's own events); false when it no longer exists. */
  async notifyAccount(accountId: string, n: NewNotification): Promise<boolean> {
    return this.write(accountId, validNotification(n));
  }

  /** The account's notifications, newest first, at most NOTIFICATION_LIST_CAP. */
  async list(accountId: string, unreadOnly = false): Promise<Notification[]> {
    // Rows keep only the hour: the whole last hour comes, so the exact order below is right.
    const rows = await this.notifications.findNewest(accountId, unreadOnly, NOTIFICATION_LIST_CAP);
    return rows
      .flatMap((row) => {
        const content = this.sealer.open(row.id, row.accountId, row.payload);
        const kind = notificationKindOf(content?.kind ?? row.kind);
        return content === null || kind === null ? [] : [{ row, content, kind }];
      })
      .sort(
        (a, b) => b.content.at.getTime() - a.content.at.getTime() || (a.row.id < b.row.id ? 1 : -1),
      )
      .slice(0, NOTIFICATION_LIST_CAP)
      .map(({ row, content, kind }) => ({
        id: row.id,
        at: roundToMinute(content.at),
        kind,
        message: content.message,
        contentId: content.contentId,
        read: row.readAt !== null,
      }));
  }

  /** How many unread notifications the account has (at most NOTIFICATION_LIST_CAP). */
  async unreadCount(accountId: string): Promise<number> {
    return (await this.list(accountId, true)).length;
  }

  /**
   * Marks the account's unread notifications among `ids` as read and returns how many were.
   * Ids of other people's notifications, unknown ids and already-read ones count for nothing
   * (and are not told apart). BAD_USER_INPUT only for a malformed id or too many ids.
   */
  async markRead(accountId: string, ids: readonly string[]): Promise<number> {
    if (ids.length > MARK_READ_CAP) {
      throw new InvalidNotificationException(
        `At most ${MARK_READ_CAP} notifications can be marked at once.`,
        'ids',
      );
    }
    if (ids.some((id) => !UUID.test(id))) {
      throw new InvalidNotificationException('Each id must be a notification id.', 'ids');
    }
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (unique.length === 0) return 0;
    return this.transactions.run(IDENTITY_STORE, (manager) =>
      // The hour: a read time is a moment the person was here.
      this.notifications.markRead(manager, accountId, unique, floorToHour(new Date())),
    );
  }

  /**
   * Writes a notification with `manager` (an identity transaction) under `id`, sealed with
   * its exact time `at`; the row keeps only the hour of `now`. Idempotent: a notification
   * already written under `id` is left alone. False when the account no longer exists; throws
   * BAD_USER_INPUT for a malformed notification.
   */
  async writeIn(
    manager: EntityManager,
    accountId: string,
    id: string,
    n: NewNotification,
    at: Date,
    now: Date,
  ): Promise<boolean> {
    const valid = validNotification(n);
    if (!(await this.accounts.exists(accountId, manager))) return false;
    if (await this.notifications.exists(manager, id)) return true;
    await this.notifications.insert(manager, {
      id,
      accountId,
      createdAt: floorToHour(now),
      // The kind is sealed too: a batch's rows are not told apart by what they are about.
      kind: SEALED_KIND,
      payload: this.sealer.seal(id, accountId, {
        kind: valid.kind,
        message: valid.message,
        contentId: valid.contentId,
        at,
      }),
      readAt: null,
    });
    return true;
  }

  /**
   * Like writeIn, for events that add up: when the account has an unread notification of
   * `kind` about `contentId`, it is resealed with its count one higher, the message for the
   * new count and the time `at`, and moved to the hour of `now`; otherwise a new one is
   * written under `id` with a count of 1.
   */
  async coalesceIn(
    manager: EntityManager,
    accountId: string,
    id: string,
    n: { kind: NotificationKind; contentId: string; message: (count: number) => string },
    at: Date,
    now: Date,
  ): Promise<boolean> {
    if (!(await this.accounts.exists(accountId, manager))) return false;
    if (await this.notifications.exists(manager, id)) return true;
    for (const row of await this.notifications.findUnread(manager, accountId)) {
      const content = this.sealer.open(row.id, row.accountId, row.payload);
      if (content?.kind !== n.kind || content.contentId !== n.contentId) continue;
      const count = (content.count ?? 1) + 1;
      const valid = validNotification({
        kind: n.kind,
        message: n.message(count),
        contentId: n.contentId,
      });
      await this.notifications.reseal(
        manager,
        row.id,
        floorToHour(now),
        this.sealer.seal(row.id, accountId, {
          kind: valid.kind,
          message: valid.message,
          contentId: valid.contentId,
          at,
          count,
        }),
      );
      return true;
    }
    return this.writeIn(
      manager,
      accountId,
      id,
      { kind: n.kind, message: n.message(1), contentId: n.contentId },
      at,
      now,
    );
  }

  private async write(accountId: string, n: NewNotification): Promise<boolean> {
    const now = new Date();
    return this.transactions.run(IDENTITY_STORE, (manager) =>
      this.writeIn(manager, accountId, randomUUID(), n, now, now),
    );
  }
}

function validNotification(n: NewNotification): NewNotification {
  const kind = notificationKindOf(n.kind);
  if (kind === null) {
    throw new InvalidNotificationException(
      `kind must be one of ${Object.values(NotificationKind).join(', ')}.`,
      'kind',
    );
  }
  const message = n.message.trim();
  if (message.length === 0 || message.length > MAX_MESSAGE) {
    throw new InvalidNotificationException(
      `A notification message must be 1–${MAX_MESSAGE} characters.`,
      'message',
    );
  }
  if (n.contentId !== null && (n.contentId.length === 0 || n.contentId.length > MAX_CONTENT_ID)) {
    throw new InvalidNotificationException('contentId is not a content id.', 'contentId');
  }
  return { kind, message, contentId: n.contentId };
}
