import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';

/** How long the server waits for Redis at start-up before refusing to start. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The two connections an instance keeps to the deployment's Redis (REDIS_URL).
 * - `commands`: counters and PUBLISH. It has no offline queue: while Redis is away a command
 *   fails at once (callers fall back or log), instead of piling up and holding requests.
 * - `subscriber`: SUBSCRIBE mode, which a connection cannot mix with other commands. ioredis
 *   re-subscribes by itself after a reconnection.
 */
export interface RedisConnections {
  readonly commands: Redis;
  readonly subscriber: Redis;
  /** REDIS_PREFIX: put before every key and channel name. */
  readonly prefix: string;
}

/** The deployment's Redis, or null without REDIS_URL (one instance, everything in process). */
export const REDIS = Symbol('REDIS');

/** `host:port` of a Redis URL, for messages: never the password the URL may carry. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

export class RedisUnavailableError extends Error {
  readonly causeMessage: string;

  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    const causeMessage = cause instanceof Error ? cause.message : String(cause);
    super(
      `REDIS_URL is set but Redis at ${address} cannot be reached (${causeMessage}); the server did not start`,
    );
    this.name = 'RedisUnavailableError';
    this.causeMessage = causeMessage;
  }
}

async function connect(config: AppConfig): Promise<RedisConnections | null> {
  const url = config.REDIS_URL;
  if (url === undefined) return null;
  const logger = new Logger('Redis');
  const address = redisAddress(url);
  const open = (role: string, offlineQueue: boolean): Redis => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      enableOfflineQueue: offlineQueue,
      maxRetriesPerRequest: 1,
      connectionName: `workplace-forum:${role}`,
    });
    // ioredis reports every failed reconnection attempt (at most one per 2 s with its
    // default back-off); the message names the address, never the password.
    client.on('error', (error: Error) =>
      logger.warn(`Redis ${role} connection to ${address}: ${error.message}`),
    );
    return client;
  };
  const commands = open('commands', false);
  const subscriber = open('subscriber', true);
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    throw new RedisUnavailableError(address, error);
  }
  logger.log(`Connected to Redis at ${address}; instances share state through it`);
  return { commands, subscriber, prefix: config.REDIS_PREFIX };
}

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisConnections | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis === null) return;
    await Promise.allSettled([this.redis.commands.quit(), this.redis.subscriber.quit()]);
  }
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [AppConfig], useFactory: connect }, RedisShutdown],
  exports: [REDIS],
})
export class RedisModule {}
