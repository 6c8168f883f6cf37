import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ContentStatus } from '../../posts/content-status';
import { PollsRepository } from '../../posts/polls.repository';
import { ThreadsRepository } from '../../posts/threads.repository';

/** Polls announced per look; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/**
 * Tells a thread's author that its poll has closed (a `POLL_CLOSED` notification). Every
 * POLL_CLOSE_SWEEP_SECONDS, polls whose closing time has passed and whose closing was not yet
 * announced are marked announced, each in a transaction that also publishes an
 * `identity.effects` event naming the author by the thread's sealed reference; the identity
 * module writes the notification in its mixed batches, as it does for moderation's notices.
 * Marking is conditional (only the caller that changes the flag publishes), so with several
 * instances each closing is announced once. A poll whose thread is no longer published
 * (held, removed) is marked without a notification; a deleted thread's poll is gone.
 */
@Injectable()
export class PollClosing implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PollClosing.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly polls: PollsRepository,
    private readonly threads: ThreadsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.POLL_CLOSE_SWEEP_SECONDS;
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      if (this.running === null) void this.sweep().catch(() => undefined);
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Announces the closings due now; returns how many this instance announced. */
  sweep(now = new Date()): Promise<number> {
    const run = this.announceDue(now).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async announceDue(now: Date): Promise<number> {
    let announced = 0;
    try {
      for (const poll of await this.polls.closedUnannounced(now, SWEEP_BATCH)) {
        const sent = await this.transactions.run(CONTENT_STORE, async (manager) => {
          if (!(await this.polls.markAnnounced(manager, poll.id))) return false;
          const thread = await this.threads.findById(poll.threadId, manager);
          if (thread === null || thread.status !== ContentStatus.PUBLISHED) return false;
          await this.events.publish(manager, {
            type: 'identity.effects',
            payload: {
              effects: [
                {
                  kind: 'pollClosed',
                  effectId: randomUUID(),
                  sealedRef: thread.sealedRef,
                  contentId: thread.id,
                  at: (poll.closesAt ?? now).getTime(),
                },
              ],
            },
          });
          return true;
        });
        if (sent) announced++;
      }
    } catch (error: unknown) {
      this.logger.warn({
        msg: 'Announcing closed polls failed; retried at the next look',
        err: error instanceof Error ? error.name : typeof error,
      });
    }
    return announced;
  }
}
