import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../../infrastructure/database/columns';

export type RuleSetStatusValue = 'DRAFT' | 'ACTIVE' | 'SUPERSEDED';

/**
 * One version of a jurisdiction's rule set (content store). At most one DRAFT and one ACTIVE
 * per jurisdiction (partial unique indexes); versions are numbered per jurisdiction. The last
 * editor is an opaque keyed staff token (StaffTokenService), never an account id.
 */
@Entity({ name: 'rule_set_versions' })
export class RuleSetVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  @CountColumn()
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: RuleSetStatusValue;

  /** The version whose rules this one started from (a copied draft, a rollback); null if none. */
  @Column({ name: 'based_on_version', type: 'integer', nullable: true })
  basedOnVersion!: number | null;

  /** A rollback (a draft made by `rollbackRuleSet`, or its publication): the version restored. */
  @Column({ name: 'rollback_of', type: 'integer', nullable: true })
  rollbackOf!: number | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @TimestampColumn({ name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'last_editor', type: 'varchar', length: 64 })
  lastEditor!: string;
}
