import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one company board a moderator is limited to (identity store). No row: the moderator
 * works every board.
 */
@Entity({ name: 'moderator_scopes' })
export class ModeratorScopeEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'company_id', type: 'varchar', length: 36 })
  companyId!: string;
}
