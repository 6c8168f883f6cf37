import { Global, Logger, Module } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';
import superjson from 'superjson';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS, type RedisConnections } from '../redis/redis.module';
import { ClusterEvents } from './cluster-events';
import { ContentWrites } from './content-writes';
import { PUB_SUB } from './pub-sub.token';

/**
 * The pub/sub engine behind GraphQL subscriptions and the instances' announcements
 * (ClusterEvents). In one process it is graphql-subscriptions' in-memory PubSub; with
 * REDIS_URL it is graphql-redis-subscriptions on the deployment's Redis, so a subscriber on
 * any instance gets the events of writes on every instance.
 */
export { PUB_SUB };
export type { PubSubEngine };

/**
 * Redis pub/sub with every channel under REDIS_PREFIX, whose publishing never fails the
 * caller: events are published after the write they announce has committed, so a Redis
 * outage must not turn a saved comment into an error. The event is lost instead (logged);
 * subscribers miss it.
 */
class SharedPubSub extends RedisPubSub {
  private readonly logger = new Logger('PubSub');

  constructor(private readonly redis: RedisConnections) {
    super({
      publisher: redis.commands,
      subscriber: redis.subscriber,
      // Applied to subscriptions only; publish() adds the prefix itself.
      triggerTransform: (trigger) => `${redis.prefix}${String(trigger)}`,
      // Events carry entities whose dates must stay Dates on the other side (plain JSON
      // would turn them into strings); superjson keeps the types.
      serializer: (payload: unknown) => superjson.stringify(payload),
      deserializer: (message: string | Buffer): unknown =>
        superjson.parse<unknown>(message.toString()),
    });
  }

  override async publish<T>(trigger: string, payload: T): Promise<void> {
    try {
      await super.publish(`${this.redis.prefix}${trigger}`, payload);
    } catch (error) {
      this.logger.warn(
        `Event not shared with other instances: ${error instanceof Error ? error.message : 'error'}`,
      );
    }
  }
}

/**
 * The engine with its live subscriptions counted by topic (`pubsub_subscriptions`): what an
 * operator watches, and the event a client can wait for before it relies on being
 * subscribed. A subscription counts once the engine has registered it (with Redis: once
 * Redis has confirmed the SUBSCRIBE), so an event published after that reaches it.
 */
class CountedPubSub extends PubSubEngine {
  private readonly topics = new Map<number, string>();

  constructor(
    private readonly engine: PubSubEngine,
    private readonly metrics: MetricsService,
  ) {
    super();
  }

  publish(trigger: string, payload: unknown): Promise<void> {
    return this.engine.publish(trigger, payload);
  }

  async subscribe(
    trigger: string,
    onMessage: (payload: unknown) => void,
    options: object,
  ): Promise<number> {
    const id = await this.engine.subscribe(trigger, onMessage, options);
    const topic = topicOf(trigger);
    this.topics.set(id, topic);
    this.metrics.subscriptionOpened(topic);
    return id;
  }

  unsubscribe(id: number): void {
    const topic = this.topics.get(id);
    if (topic !== undefined) {
      this.topics.delete(id);
      this.metrics.subscriptionClosed(topic);
    }
    this.engine.unsubscribe(id);
  }
}

/** A trigger's topic: its name without the id it may end in (`comment-added:<thread id>`). */
const topicOf = (trigger: string): string => trigger.split(':', 1)[0];

function createPubSub(redis: RedisConnections | null, metrics: MetricsService): PubSubEngine {
  return new CountedPubSub(redis === null ? new PubSub() : new SharedPubSub(redis), metrics);
}

@Global()
@Module({
  providers: [
    { provide: PUB_SUB, inject: [REDIS, MetricsService], useFactory: createPubSub },
    ClusterEvents,
    ContentWrites,
  ],
  exports: [PUB_SUB, ClusterEvents, ContentWrites],
})
export class PubSubModule {}
