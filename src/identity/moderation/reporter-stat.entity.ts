import { Entity, PrimaryColumn } from 'typeorm';
import { CountColumn } from '../../infrastructure/database/columns';

/**
 * A reporter's track record (identity store): how many of their reports moderators upheld
 * and rejected. Counts only: no report, post, reason or time.
 */
// Stored in primary-key order on SQLite: the physical order carries nothing (docs/anonymity.md).
@Entity({ name: 'reporter_stats', withoutRowid: true })
export class ReporterStatEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @CountColumn({ default: 0 })
  upheld!: number;

  @CountColumn({ default: 0 })
  rejected!: number;
}
