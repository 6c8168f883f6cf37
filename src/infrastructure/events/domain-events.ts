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
import { findOfShape } from '../database/sql-shapes';
import { MetricsService } from '../metrics/metrics.service';
import {
  type DomainEvent,
  type DomainEventCatalogue,
  type DomainEventType,
  EVENT_STORES,
} from './domain-event-catalogue';
import {
  type MixingOptions,
  type OutboxBatchHandler,
  OutboxDispatcher,
  type OutboxHandler,
} from './outbox-dispatcher';
import { OutboxEventEntity } from './outbox-event.entity';

/** Handles one event; resolves when its effect is stored. Called at least once per event. */
export type DomainEventHandler<T extends DomainEventType> = (
  payload: DomainEventCatalogue[T],
) => Promise<void>;

/** Handles a batch of events at once, in random order (see `handleMixed`). */
export type DomainEventBatchHandler<T extends DomainEventType> = (
  payloads: DomainEventCatalogue[T][],
) => Promise<void>;

export interface PublishOptions {
  /** When to deliver the event (for delayed delivery; immediately by default). */
  readonly notBefore?: Date;
  /**
   * Whether a reader must see the event before it is delivered (`pending`): only for events
   * whose effect binds at once. Others are never read before delivery, however many wait.
   */
  readonly readBeforeDelivery?: boolean;
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
  private readonly mixedHandlers = new Map<
    string,
    { type: DomainEventType; handle: OutboxBatchHandler; mixing: MixingOptions }
  >();
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
        batchNames: () =>
          [...this.mixedHandlers]
            .filter(([, h]) => EVENT_STORES[h.type] === store)
            .map(([name]) => name),
        getBatch: (name: string) => this.mixedHandlers.get(name),
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
    this.assertNewName(name);
    this.handlers.set(name, {
      type,
      handle: (payload) => handler(payload as DomainEventCatalogue[T]),
    });
  }

  /**
   * Registers a handler of **mixed batches** of `type` (docs/anonymity.md, "Mixed delivery"):
   * each event is held until the end of the `mixing.windowMs` window it was published in,
   * and due events go out together — at least `minBatch` of them, or fewer once the oldest
   * has waited `maxWaitMs` — handed to `handler` at once in random order, for it to write
   * their effects together, as of the batch's time. Delivery is at least once, as for single
   * events.
   */
  handleMixed<T extends DomainEventType>(
    type: T,
    name: string,
    mixing: MixingOptions,
    handler: DomainEventBatchHandler<T>,
  ): void {
    this.assertNewName(name);
    this.mixedHandlers.set(name, {
      type,
      mixing,
      handle: (payloads) => handler(payloads as DomainEventCatalogue[T][]),
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
    const now = Date.now();
    const handlers = [
      ...[...this.handlers]
        .filter(([, h]) => h.type === event.type)
        .map(([name]) => ({ name, notBefore: options.notBefore ?? new Date(now) })),
      ...[...this.mixedHandlers]
        .filter(([, h]) => h.type === event.type)
        .map(([name, h]) => ({
          name,
          notBefore: options.notBefore ?? windowEnd(now, h.mixing.windowMs),
        })),
    ];
    if (handlers.length === 0) {
      this.logger.warn({ msg: 'A domain event has no handler; dropped', type: event.type });
      return;
    }
    // Every column is given: TypeORM's reading back of the defaulted one after the insert
    // (`updateEntity`) would be one more statement per event.
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxEventEntity)
      .updateEntity(false)
      .values(
        handlers.map(({ name, notBefore }) => ({
          id: randomUUID(),
          type: event.type,
          handler: name,
          payload: event.payload,
          notBefore,
          attempts: 0,
          claimedUntil: null,
          failedAt: null,
          readBeforeDelivery: options.readBeforeDelivery === true,
        })),
      )
      .execute();
    const dispatcher = this.dispatchers.get(store);
    const due = Math.min(...handlers.map(({ notBefore }) => notBefore.getTime()));
    this.transactions.afterCommit(manager, () => dispatcher?.wake(due));
  }

  /**
   * The payloads of `type`'s events published `readBeforeDelivery` and not yet delivered
   * (pending or failed): what is already decided but not yet applied, for a reader that must
   * not wait for delivery. One indexed read of those rows only: the events that merely wait
   * in a mixing window (every comment's activity, say) are not read.
   */
  async pending<T extends DomainEventType>(type: T): Promise<DomainEventCatalogue[T][]> {
    const rows = await findOfShape(
      this.transactions.dataSource(EVENT_STORES[type]).manager,
      OutboxEventEntity,
      'outbox.pendingOfType',
      { select: { payload: true }, where: { readBeforeDelivery: true, type } },
    );
    return rows.map((row) => row.payload as DomainEventCatalogue[T]);
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

  private assertNewName(name: string): void {
    if (this.handlers.has(name) || this.mixedHandlers.has(name)) {
      throw new Error(`A domain event handler "${name}" exists`);
    }
  }

  private storeOfHandler(name: string): StoreName | undefined {
    const type = this.handlers.get(name)?.type;
    return type === undefined ? undefined : EVENT_STORES[type];
  }
}

/**
 * The end of the window (of `windowMs`, counted from the epoch) that `now` falls in: every
 * event of one window gets the same `not_before`, so the row keeps no finer time.
 */
export function windowEnd(now: number, windowMs: number): Date {
  return windowMs <= 0 ? new Date(now) : new Date((Math.floor(now / windowMs) + 1) * windowMs);
}
