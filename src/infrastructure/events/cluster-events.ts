import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { REDIS, type RedisConnections } from '../redis/redis.module';
import { PUB_SUB } from './pub-sub.token';

/**
 * What one instance tells the others: something they keep in memory is out of date.
 * - `rules`: the active rule sets changed (publication, rollback); recompile them.
 * - `content`: content was written; drop cached visitor answers.
 * - `principals`: the identity store was written (sign-out, roles, deletion…); drop cached
 *   sessions.
 */
export type ClusterTopic = 'rules' | 'content' | 'principals';

interface Announcement {
  from: string;
}

/**
 * Announcements between the instances of a deployment, over the subscriptions' pub/sub
 * engine (Redis with REDIS_URL). With one instance there is nobody to tell, and every call
 * is a no-op.
 *
 * Redis pub/sub delivers to whoever is connected at the moment: an instance whose connection
 * dropped misses what was said meanwhile. So `onReconnect` listeners (the same work as the
 * announcement: recompile, drop the cache) run each time the subscriber connection is ready
 * again.
 */
@Injectable()
export class ClusterEvents {
  private readonly logger = new Logger(ClusterEvents.name);
  /** Identifies this process's own announcements, which it has already acted on. */
  private readonly instance = randomUUID();
  /** Topics with an announcement queued for the end of this turn of the event loop. */
  private readonly queued = new Set<ClusterTopic>();

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {}

  /** True when other instances may exist (REDIS_URL is set). */
  get shared(): boolean {
    return this.redis !== null;
  }

  /**
   * Tells every other instance about `topic`. Announcements of one topic made in the same
   * turn of the event loop go out as one. Never throws: a lost announcement is logged.
   */
  announce(topic: ClusterTopic): void {
    if (this.redis === null || this.queued.has(topic)) return;
    this.queued.add(topic);
    setImmediate(() => {
      this.queued.delete(topic);
      const announcement: Announcement = { from: this.instance };
      this.pubSub
        .publish(channel(topic), announcement)
        .catch((error: unknown) =>
          this.logger.warn(
            `Announcement "${topic}" not sent: ${error instanceof Error ? error.message : 'error'}`,
          ),
        );
    });
  }

  /** Calls `listener` when another instance announces `topic`. Resolves once subscribed. */
  async listen(topic: ClusterTopic, listener: () => void): Promise<void> {
    if (this.redis === null) return;
    await this.pubSub.subscribe(
      channel(topic),
      (announcement: Announcement) => {
        if (announcement.from !== this.instance) listener();
      },
      {},
    );
  }

  /** Calls `listener` each time the connection to Redis is back after a loss. */
  onReconnect(listener: () => void): void {
    const subscriber = this.redis?.subscriber;
    if (subscriber === undefined) return;
    let lost = false;
    subscriber.on('close', () => (lost = true));
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      listener();
    });
  }
}

const channel = (topic: ClusterTopic): string => `cluster:${topic}`;
