import { Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';
import type { Role } from '../../infrastructure/auth/role';

/** A role granted to an account (MEMBER is implied and never stored). */
// Stored in primary-key order on SQLite: the physical order carries nothing (docs/anonymity.md).
@Entity({ name: 'account_roles', withoutRowid: true })
export class AccountRoleEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  role!: Role;

  @TimestampColumn({ name: 'granted_at' })
  grantedAt!: Date;
}
