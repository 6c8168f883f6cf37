import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../infrastructure/database/columns';

/**
 * One audit entry (content store): who — a staff handle and the role they acted in, never an
 * account id or an address — did what to which subject, with before/after in `detail`.
 * Append-only: nothing updates or deletes these rows.
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

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

  /** JSON text. */
  @Column({ type: 'text' })
  detail!: string;
}
