import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import type { ActivityEffect } from '../../infrastructure/events/domain-event-catalogue';
import { LoopPacer } from '../../infrastructure/events/loop-pacer';
import { NotificationAudience } from './notification-audience';
import { NotificationKind } from './notification-kind';
import { NotificationsService } from './notifications.service';
import { SealedAccounts } from './sealed-accounts';

/** One notification to write for a comment: who, and why. */
export interface ActivityDelivery {
  readonly accountId: string;
  readonly kind: NotificationKind.REPLY | NotificationKind.FOLLOWED_THREAD_ACTIVITY;
  readonly toComment: boolean;
  readonly effect: ActivityEffect;
}

/** The longest thread title a message quotes. */
const TITLE_IN_MESSAGE = 80;

/**
 * Notifications of new comments (REPLY, FOLLOWED_THREAD_ACTIVITY), delivered in the mixed
 * batches of `identity.effects` (docs/anonymity.md, "Follows, bookmarks and reply
 * notifications"). Who is told is settled before the batch's transactions (sealed references
 * opened, the audience checked); the notifications are then written in them, in the batch's
 * random order, with the batch's hour. The messages name no handle and no time.
 */
@Injectable()
export class ActivityNotifications {
  constructor(
    private readonly keys: KeyRing,
    private readonly accounts: SealedAccounts,
    private readonly audience: NotificationAudience,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Who is told of each comment: each recipient once — REPLY over FOLLOWED_THREAD_ACTIVITY —,
   * never the comment's author, nobody whose account is gone, nobody who cannot read the
   * comment now.
   */
  async deliveries(
    effects: readonly ActivityEffect[],
    pacer: LoopPacer = new LoopPacer(),
  ): Promise<ActivityDelivery[]> {
    const out: ActivityDelivery[] = [];
    for (const effect of effects) {
      const author = await this.accounts.accountIdOf(effect.authorRef);
      const chosen = new Map<string, ActivityDelivery>();
      for (const recipient of effect.recipients) {
        const accountId = await this.accounts.accountIdOf(recipient.sealedRef);
        if (accountId === null || accountId === author) continue;
        const reply = recipient.reason !== 'FOLLOWED';
        const held = chosen.get(accountId);
        if (held !== undefined && (held.kind === NotificationKind.REPLY || !reply)) continue;
        chosen.set(accountId, {
          accountId,
          kind: reply ? NotificationKind.REPLY : NotificationKind.FOLLOWED_THREAD_ACTIVITY,
          toComment: recipient.reason === 'REPLY_TO_COMMENT',
          effect,
        });
      }
      for (const delivery of chosen.values()) {
        const target = { threadId: effect.threadId, commentId: effect.commentId };
        if (await this.audience.mayRead(delivery.accountId, target)) out.push(delivery);
      }
      // A batch holds up to a thousand comments, each a few reads: on SQLite (synchronous
      // reads) that would hold the event loop for seconds, so the reads are paced.
      await pacer.pause();
    }
    return out;
  }

  /**
   * Writes one delivery with `manager` (the batch's identity transaction). A REPLY is one
   * notification about the comment; activity on a followed thread joins the member's unread
   * notice of that thread if there is one ("3 new comments in …"), else starts one.
   */
  async writeIn(manager: EntityManager, delivery: ActivityDelivery, now: Date): Promise<void> {
    const { accountId, effect } = delivery;
    const title = quote(effect.threadTitle);
    const id = activityNotificationId(this.keys, effect.effectId, accountId);
    const at = new Date(effect.at);
    if (delivery.kind === NotificationKind.REPLY) {
      await this.notifications.writeIn(
        manager,
        accountId,
        id,
        {
          kind: NotificationKind.REPLY,
          message: delivery.toComment
            ? `Someone replied to your comment in ${title}.`
            : `Someone replied to your thread ${title}.`,
          contentId: effect.commentId,
        },
        at,
        now,
      );
      return;
    }
    await this.notifications.coalesceIn(
      manager,
      accountId,
      id,
      {
        kind: NotificationKind.FOLLOWED_THREAD_ACTIVITY,
        contentId: effect.threadId,
        message: (count) =>
          count === 1
            ? `A new comment in ${title}, a thread you follow.`
            : `${count} new comments in ${title}, a thread you follow.`,
      },
      at,
      now,
    );
  }
}

function quote(title: string): string {
  const trimmed = title.trim();
  const short =
    [...trimmed].length > TITLE_IN_MESSAGE
      ? `${[...trimmed].slice(0, TITLE_IN_MESSAGE - 1).join('')}…`
      : trimmed;
  return `“${short.length === 0 ? 'a thread' : short}”`;
}

/**
 * A notification's id from a keyed hash of `label`, shaped as a UUID: the same at every
 * delivery of the event, and unrelated to the event's id without the key.
 */
export function keyedNotificationId(keys: KeyRing, label: string): string {
  const hex = createHmac('sha256', keys.key('notification')).update(label).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

function activityNotificationId(keys: KeyRing, effectId: string, accountId: string): string {
  return keyedNotificationId(keys, `activity:${effectId}:${accountId}`);
}
