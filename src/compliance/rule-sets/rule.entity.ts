import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CountColumn, JsonColumn } from '../../infrastructure/database/columns';
import type { BoardKind, MatcherKind, RuleAction, TextField } from '../rule-engine';
import type { MatchOptions } from './match-options';

/** One rule of a rule set version (content store), in the rule engine's terms. */
@Entity({ name: 'rules' })
export class RuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'rule_set_id', type: 'varchar', length: 36 })
  ruleSetId!: string;

  /** Order within the version (gaps allowed). */
  @CountColumn()
  position!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ name: 'matcher_kind', type: 'varchar', length: 16 })
  matcherKind!: MatcherKind;

  /** KEYWORDS terms, or PROFANITY extra words. */
  @JsonColumn()
  terms!: string[];

  /** REGEX only. */
  @Column({ type: 'text', nullable: true })
  pattern!: string | null;

  /** PII detector kinds; empty: all built-in kinds. */
  @JsonColumn({ name: 'pii_kinds' })
  piiKinds!: string[];

  /** PROFANITY: words of the bad-words list left out. */
  @JsonColumn({ name: 'exclude_terms' })
  exclude!: string[];

  /** KEYWORDS and PROFANITY: the evasion options the officer set; the rest take defaults. */
  @JsonColumn({ name: 'match_options' })
  matchOptions!: MatchOptions;

  @Column({ type: 'varchar', length: 16 })
  action!: RuleAction;

  /** Empty: every board kind. */
  @JsonColumn({ name: 'board_kinds' })
  boardKinds!: BoardKind[];

  /** Empty: title and body. */
  @JsonColumn()
  fields!: TextField[];

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ type: 'text' })
  explanation!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;
}
