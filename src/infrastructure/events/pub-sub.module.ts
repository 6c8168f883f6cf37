import { Global, Module } from '@nestjs/common';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';

/**
 * The pub/sub engine behind GraphQL subscriptions. In one process it is graphql-subscriptions'
 * in-memory PubSub; several instances need a shared engine with the same PubSubEngine
 * interface (graphql-redis-subscriptions on REDIS_URL), which replaces this provider and
 * nothing else.
 */
export const PUB_SUB = Symbol('PUB_SUB');
export type { PubSubEngine };

@Global()
@Module({
  providers: [{ provide: PUB_SUB, useFactory: (): PubSubEngine => new PubSub() }],
  exports: [PUB_SUB],
})
export class PubSubModule {}
