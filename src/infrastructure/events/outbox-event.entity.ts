import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, JsonColumn, TimestampColumn } from '../database/columns';

/**
 * One pending delivery of a domain event to one handler (`outbox_events`, one table per
 * store that publishes events; today the content store). Written in the transaction of the
 * change the event announces; deleted once its handler succeeded.
 *
 * No column links a post to a person: the id is random, the payload carries content ids and
 * rule notices only, and there is no creation time beyond `not_before` (docs/architecture.md,
 * "Domain events").
 */
@Entity({ name: 'outbox_events' })
@Index('idx_outbox_due', ['notBefore', 'id'])
@Index('idx_outbox_read_before_delivery', ['readBeforeDelivery', 'type'])
@Index('idx_outbox_claimed', ['claimedUntil'])
export class OutboxEventEntity {
  /** A random UUID. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The event's name in the catalogue (`review.requested`). */
  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** The handler the row is for (each handler of a type gets its own row). */
  @Column({ type: 'varchar', length: 64 })
  handler!: string;

  @JsonColumn()
  payload!: unknown;

  /** Not delivered before this time: when published, or the next attempt after a failure. */
  @TimestampColumn({ name: 'not_before' })
  notBefore!: Date;

  /** Deliveries started so far. */
  @CountColumn()
  attempts!: number;

  /** While in the future, one dispatcher holds the row (its lease); others leave it. */
  @TimestampColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  /**
   * Read before delivery (`DomainEvents.pending`): set only on events whose payload binds at
   * once (a restricting sanction or a lift), so that read stays as small as what binds however
   * many events wait in a mixing window. It says nothing the payload does not say.
   */
  @Column({ name: 'read_before_delivery', type: 'boolean', default: false })
  readBeforeDelivery!: boolean;

  /** Set when the last allowed attempt failed: kept, not delivered again until a restart. */
  @TimestampColumn({ name: 'failed_at', nullable: true })
  failedAt!: Date | null;
}
