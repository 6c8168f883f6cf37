import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoreName } from '../database/stores';
import { TransactionRunner } from '../database/transaction-runner';
import { MetricsService } from '../metrics/metrics.service';
import {
  type DomainEvent,
  type DomainEventCatalogue,
  type DomainEventType,
  EVENT_STORES,
} from './domain-event-catalogue';
import { OutboxDispatcher, type OutboxHandler } from './outbox-dispatcher';
import { OutboxEventEntity } from './outbox-event.entity';

/** Handles one event; resolves when its effect is stored. Called at least once per event. */
export type DomainEventHandler<T extends DomainEventType> = (
  payload: DomainEventCatalogue[T],
) => Promise<void>;

/** When to deliver an event (for delayed delivery; immediately by default). */
export interface PublishOptions {
  readonly notBefore?: Date;
}

/**
 * The one domain-event mechanism (docs/architecture.md, "Domain events"): typed events from
 * the catalogue, written to the outbox of the store they belong to **in the publisher's
 * transaction**, and delivered to the handlers consuming modules registered, after that
 * transaction has committed, retried while the server runs, resumed after a restart.
 *
 * A consuming module registers in `onModuleInit` (`handle`); delivery starts once every
 * module is initialised (`onApplicationBootstrap`).
 */
@Injectable()
export class DomainEvents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly handlers = new Map<string, { type: DomainEventType; handle: OutboxHandler }>();
  private readonly dispatchers = new Map<StoreName, OutboxDispatcher>();

  constructor(
    private readonly transactions: TransactionRunner,
    metrics: MetricsService,
  ) {
    const stores = new Set(Object.values(EVENT_STORES));
    for (const store of stores) {
      const handlers = {
        names: () =>
          [...this.handlers.keys()].filter((name) => this.storeOfHandler(name) === store),
        get: (name: string) => this.handlers.get(name)?.handle,
      };
      const dispatcher = new OutboxDispatcher(store, transactions, handlers, this.logger);
      this.dispatchers.set(store, dispatcher);
      metrics.watchOutbox(store, () => dispatcher.counts());
    }
  }

  /**
   * Registers `handler` under a stable `name` (stored with each pending delivery, so it must
   * not change between releases while rows are pending) for events of `type`.
   */
  handle<T extends DomainEventType>(type: T, name: string, handler: DomainEventHandler<T>): void {
    if (this.handlers.has(name)) throw new Error(`A domain event handler "${name}" exists`);
    this.handlers.set(name, {
      type,
      handle: (payload) => handler(payload as DomainEventCatalogue[T]),
    });
  }

  /**
   * Writes `event` for each of its handlers to the outbox, with `manager`, which must be a
   * transaction of the event's store (`EVENT_STORES`): the event exists if and only if that
   * transaction commits, and is delivered once it has.
   */
  async publish<T extends DomainEventType>(
    manager: EntityManager,
    event: DomainEvent<T>,
    options: PublishOptions = {},
  ): Promise<void> {
    const store = EVENT_STORES[event.type];
    if (manager.connection !== this.transactions.dataSource(store)) {
      throw new Error(`Event ${event.type} belongs to the ${store} store's transaction`);
    }
    const handlers = [...this.handlers].filter(([, h]) => h.type === event.type);
    if (handlers.length === 0) {
      this.logger.warn({ msg: 'A domain event has no handler; dropped', type: event.type });
      return;
    }
    const notBefore = options.notBefore ?? new Date();
    await manager.insert(
      OutboxEventEntity,
      handlers.map(([name]) => ({
        id: randomUUID(),
        type: event.type,
        handler: name,
        payload: event.payload,
        notBefore,
        attempts: 0,
        claimedUntil: null,
        failedAt: null,
      })),
    );
    const dispatcher = this.dispatchers.get(store);
    this.transactions.afterCommit(manager, () => dispatcher?.kick());
  }

  /** Resolves once every store's dispatcher has no look under way (tests). */
  async idle(): Promise<void> {
    for (const dispatcher of this.dispatchers.values()) await dispatcher.idle();
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const dispatcher of this.dispatchers.values()) await dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    for (const dispatcher of this.dispatchers.values()) await dispatcher.stop();
  }

  private storeOfHandler(name: string): StoreName | undefined {
    const type = this.handlers.get(name)?.type;
    return type === undefined ? undefined : EVENT_STORES[type];
  }
}
