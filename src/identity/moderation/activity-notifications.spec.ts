import type { KeyRing } from '../../infrastructure/crypto/key-ring';
import type { ActivityEffect } from '../../infrastructure/events/domain-event-catalogue';
import { ActivityNotifications } from './activity-notifications';
import type { NotificationAudience } from './notification-audience';
import type { NotificationsService } from './notifications.service';
import type { SealedAccounts } from './sealed-accounts';

const effect = (i: number): ActivityEffect => ({
  kind: 'activity',
  effectId: `effect-${i}`,
  threadId: `thread-${i}`,
  commentId: `comment-${i}`,
  threadTitle: 'A thread',
  at: 0,
  authorRef: `author-${i}`,
  recipients: [{ sealedRef: `reader-${i}`, reason: 'REPLY_TO_THREAD' }],
});

describe('ActivityNotifications.deliveries', () => {
  it('settles who is told of each comment in a turn of the event loop of its own', async () => {
    // Collaborators that answer at once, as SQLite's synchronous reads do.
    let turn = 0;
    const turnOfEach: number[] = [];
    const accounts = {
      accountIdOf: (ref: string) => Promise.resolve(ref.replace(/^(author|reader)-/, '$1:')),
    } as unknown as SealedAccounts;
    const audience = {
      mayRead: () => {
        turnOfEach.push(turn);
        return Promise.resolve(true);
      },
    } as unknown as NotificationAudience;
    const sut = new ActivityNotifications(
      {} as KeyRing,
      accounts,
      audience,
      {} as NotificationsService,
    );
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      const out = await sut.deliveries(Array.from({ length: 20 }, (_, i) => effect(i)));
      expect(out).toHaveLength(20);
    } finally {
      counting = false;
    }
    expect(new Set(turnOfEach).size).toBe(20);
  });
});
