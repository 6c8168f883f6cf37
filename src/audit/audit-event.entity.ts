import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../infrastructure/database/columns';

/**
 * One audit entry. Each store keeps its own chain (the identity store: roles, companies,
 * scopes; the content store: rule sets, reviews, sanctions, appeals, retroactive runs), so an
 * entry is always written in the transaction of the change it records. Who — a staff handle
 * and the role acted in, never an account id or an address — did what to which subject,
 * with before/after in `detail`. `hash` = SHA-256 over the previous entry's hash and this
 * entry's canonical content (docs/audit.md). Append-only: nothing updates or deletes these rows.
 */
@Entity({ name: 'audit_events' })
@Index('uq_audit_events_seq', ['seq'], { unique: true })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Position in this store's chain: 1, 2, 3, … without gaps. */
  @CountColumn()
  seq!: number;

  @TimestampColumn()
  at!: Date;

  @Column({ name: 'actor_handle', type: 'varchar', length: 64 })
  actorHandle!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 32 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  /** Canonical JSON text (sorted keys): exactly what the hash covers. */
  @Column({ type: 'text' })
  detail!: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

/**
 * The head of a store's chain (one row, id `main`): the last sequence number and hash. Every
 * append locks it, so entries are chained one at a time even with concurrent transactions on
 * PostgreSQL, and deleting the newest entries is detected (the head no longer matches).
 */
@Entity({ name: 'audit_heads' })
export class AuditHeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @CountColumn()
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
