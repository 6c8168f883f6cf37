import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { TOUCHED_KEYS, type Touched } from '../database/transaction-runner';
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
  /**
   * What the writes announced touched (TransactionRunner's Touched), so that the others drop
   * no more than the writer did; null or absent: anything (and from instances that predate it).
   */
  touched?: Touched | null;
}

/**
 * Ids one announcement names at most; past it, it says "anything" (null). A turn of the event
 * loop rarely commits more than a few writes, and a bulk change drops everything anyway.
 */
export const MAX_ANNOUNCED_IDS = 500;

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
  /**
   * Topics with an announcement queued for the end of this turn of the event loop, with what
   * the writes announced meanwhile touched together (null: anything).
   */
  private readonly queued = new Map<ClusterTopic, Touched | null>();

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {}

  /** True when other instances may exist (REDIS_URL is set). */
  get shared(): boolean {
    return this.redis !== null;
  }

  /**
   * Tells every other instance about `topic`, with what was `touched` (null: anything).
   * Announcements of one topic made in the same turn of the event loop go out as one, naming
   * what they touched together. Never throws: a lost announcement is logged.
   */
  announce(topic: ClusterTopic, touched: Touched | null = null): void {
    if (this.redis === null) return;
    if (this.queued.has(topic)) {
      this.queued.set(topic, touchedTogether(this.queued.get(topic) ?? null, touched));
      return;
    }
    this.queued.set(topic, touchedTogether(touched, {}));
    setImmediate(() => {
      const announced = this.queued.get(topic) ?? null;
      this.queued.delete(topic);
      const announcement: Announcement = { from: this.instance, touched: announced };
      this.pubSub
        .publish(channel(topic), announcement)
        .catch((error: unknown) =>
          this.logger.warn(
            `Announcement "${topic}" not sent: ${error instanceof Error ? error.message : 'error'}`,
          ),
        );
    });
  }

  /**
   * Calls `listener` when another instance announces `topic`, with what it touched (null:
   * anything). Resolves once subscribed.
   */
  async listen(topic: ClusterTopic, listener: (touched: Touched | null) => void): Promise<void> {
    if (this.redis === null) return;
    await this.pubSub.subscribe(
      channel(topic),
      (announcement: Announcement) => {
        if (announcement.from !== this.instance) listener(receivedTouched(announcement.touched));
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

/** What two writes touched together: null if either may have touched anything, or past MAX_ANNOUNCED_IDS. */
export function touchedTogether(a: Touched | null, b: Touched | null): Touched | null {
  if (a === null || b === null) return null;
  const merged: Record<string, string[]> = {};
  let count = 0;
  for (const key of TOUCHED_KEYS) {
    const ids = [...new Set([...(a[key] ?? []), ...(b[key] ?? [])])];
    count += ids.length;
    if (ids.length > 0) merged[key] = ids;
  }
  return count > MAX_ANNOUNCED_IDS ? null : merged;
}

/** An announcement's Touched as received: anything not well formed counts as "anything". */
export function receivedTouched(received: unknown): Touched | null {
  if (typeof received !== 'object' || received === null || Array.isArray(received)) return null;
  const fields = received as Record<string, unknown>;
  const isIds = (value: unknown) =>
    value === undefined || (Array.isArray(value) && value.every((id) => typeof id === 'string'));
  if (!TOUCHED_KEYS.every((key) => isIds(fields[key]))) return null;
  return touchedTogether(fields, {});
}
