import type { KeyRing } from '../../infrastructure/crypto/key-ring';
import { ActivityNotifications } from './activity-notifications';
import type { NotificationAudience } from './notification-audience';
import type { NotificationsService } from './notifications.service';
import type { SealedAccounts } from './sealed-accounts';
import { activityEffect, turnCounter } from './testing/activity-effects';

describe('ActivityNotifications.deliveries', () => {
  it('settles who is told of each comment in a turn of the event loop of its own', async () => {
    // Collaborators that answer at once, as SQLite's synchronous reads do.
    const turns = turnCounter();
    const turnOfEach: number[] = [];
    const accounts = {
      accountIdOf: (ref: string) => Promise.resolve(ref.replace(/^(author|reader)-/, '$1:')),
    } as unknown as SealedAccounts;
    const audience = {
      mayRead: () => {
        turnOfEach.push(turns.turn());
        return Promise.resolve(true);
      },
    } as unknown as NotificationAudience;
    const sut = new ActivityNotifications(
      {} as KeyRing,
      accounts,
      audience,
      {} as NotificationsService,
    );
    try {
      const out = await sut.deliveries(Array.from({ length: 20 }, (_, i) => activityEffect(i)));
      expect(out).toHaveLength(20);
    } finally {
      turns.stop();
    }
    expect(new Set(turnOfEach).size).toBe(20);
  });
});
