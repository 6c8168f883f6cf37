import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../../infrastructure/auth/role';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A staff role held by an account (identity store; MEMBER is implied and never stored). The
 * holder is a keyed token of the account (`HMAC(staff-holder key, account id)`), never its
 * id: a role's grant is written in one transaction with the audit entry naming the staff
 * handle, and on PostgreSQL the two rows share a transaction id — so the row must not name
 * the account for the handle to stay unresolvable without `APP_SECRET` (docs/anonymity.md).
 * Stored in primary-key order on SQLite; the grant keeps the day only.
 */
@Entity({ name: 'staff_roles', withoutRowid: true })
export class StaffRoleEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  holder!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  role!: Role;

  @TimestampColumn({ name: 'granted_at' })
  grantedAt!: Date;
}

/**
 * The one company board a moderator is limited to, by the same keyed holder token. No row:
 * the moderator works every board.
 */
@Entity({ name: 'staff_scopes', withoutRowid: true })
export class StaffScopeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  holder!: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId!: string;
}
