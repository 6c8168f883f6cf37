import { Global, Logger, Module } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import superjson from 'superjson';
import { REDIS, type RedisConnections } from '../redis/redis.module';
import { ClusterEvents } from './cluster-events';
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

function createPubSub(redis: RedisConnections | null): PubSubEngine {
  return redis === null ? new PubSub() : new SharedPubSub(redis);
}

@Global()
@Module({
  providers: [{ provide: PUB_SUB, inject: [REDIS], useFactory: createPubSub }, ClusterEvents],
  exports: [PUB_SUB, ClusterEvents],
})
export class PubSubModule {}
