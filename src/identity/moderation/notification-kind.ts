import { registerEnumType } from '@nestjs/graphql';

/**
 * What a notification is about. The values are the ones stored in `notifications.kind`, so
 * the wire shows what was always stored. MEMBERSHIP_MOVED (a work address verified by
 * another account) is stored since employer verification exists and is kept as its own kind.
 */
export enum NotificationKind {
  CONTENT_DECISION = 'CONTENT_DECISION',
  REPORT_OUTCOME = 'REPORT_OUTCOME',
  APPEAL_OUTCOME = 'APPEAL_OUTCOME',
  REPLY = 'REPLY',
  FOLLOWED_THREAD_ACTIVITY = 'FOLLOWED_THREAD_ACTIVITY',
  POLL_CLOSED = 'POLL_CLOSED',
  MEMBERSHIP_MOVED = 'MEMBERSHIP_MOVED',
}

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about.',
  valuesMap: {
    CONTENT_DECISION: { description: 'A moderator decided on your post.' },
    REPORT_OUTCOME: { description: 'A post you reported was reviewed.' },
    APPEAL_OUTCOME: { description: 'Your appeal was decided.' },
    REPLY: { description: 'Someone replied to your thread or comment.' },
    FOLLOWED_THREAD_ACTIVITY: { description: 'New comments in a thread you follow.' },
    POLL_CLOSED: { description: 'The poll in your thread closed.' },
    MEMBERSHIP_MOVED: {
      description: 'Your work address was verified by another account, which now holds it.',
    },
  },
});

const KINDS: ReadonlySet<string> = new Set(Object.values(NotificationKind));

/** The stored kind as the enum; null for a kind no version of the server writes. */
export function notificationKindOf(stored: string): NotificationKind | null {
  return KINDS.has(stored) ? (stored as NotificationKind) : null;
}
