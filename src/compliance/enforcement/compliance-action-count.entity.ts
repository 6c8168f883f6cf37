import { Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { CountColumn } from '../../infrastructure/database/columns';

/** A BIGINT epoch-millisecond value read back as a number (PostgreSQL returns BIGINT as text). */
const epochNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number) => Number(value),
};

/**
 * How many times the rules of one jurisdiction took one action on one UTC day (SPEC §6,
 * docs/transparency.md). Deliberately nothing else: no post, no rule, no author, no time of
 * day, so a copy of this table says only how busy compliance was, never about whom.
 */
@Entity({ name: 'compliance_action_counts' })
export class ComplianceActionCountEntity {
  /** Epoch milliseconds of the start (00:00 UTC) of the day. */
  @PrimaryColumn({ type: 'bigint', transformer: epochNumber })
  day!: number;

  /** The code of the jurisdiction whose rule acted (as its rule set names it: DE, EU, US-CA). */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  jurisdiction!: string;

  /** The action the rule took on the post (RuleAction: BLOCK, HOLD, FLAG, WITHHOLD, REDACT). */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  action!: string;

  @CountColumn()
  count!: number;
}
