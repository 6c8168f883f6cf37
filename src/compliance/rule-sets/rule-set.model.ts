import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { BoardKind } from '../../boards/board.model';
import { RuleAction } from '../notices/compliance-notice.model';
import { MatchOptions, MatchStep, TermExpansion } from './match-options';
import { Node } from '../../infrastructure/graphql/nodes/node.model';

export enum RuleSetStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(RuleSetStatus, {
  name: 'RuleSetStatus',
  description: 'DRAFT (editable) → ACTIVE (one per jurisdiction) → SUPERSEDED.',
  valuesMap: {
    DRAFT: { description: 'Being written: editable, not applied.' },
    ACTIVE: { description: "The jurisdiction's rules in force; one per jurisdiction." },
    SUPERSEDED: { description: 'Was active until a newer version was published; read-only.' },
  },
});

export enum MatcherKind {
  KEYWORDS = 'KEYWORDS',
  REGEX = 'REGEX',
  PROFANITY = 'PROFANITY',
  PII = 'PII',
}
registerEnumType(MatcherKind, {
  name: 'MatcherKind',
  description: 'How a rule finds matches (docs/compliance.md, "Matcher semantics").',
  valuesMap: {
    KEYWORDS: {
      description:
        'Terms: Latin terms match whole words, Chinese terms as substrings, after normalising evasions.',
    },
    REGEX: { description: 'An RE2 pattern (linear time; others are refused when saved).' },
    PROFANITY: { description: 'The bad-words list, with words added or left out.' },
    PII: {
      description: 'Personal data: phone numbers, email addresses, national ID numbers.',
    },
  },
});

/** The part of a post a rule looks at (the rule engine's `title` / `body`). */
export enum PostField {
  TITLE = 'TITLE',
  BODY = 'BODY',
}
registerEnumType(PostField, {
  name: 'PostField',
  description: 'The part of a post a rule looks at.',
  valuesMap: {
    TITLE: { description: "A thread's title." },
    BODY: { description: 'The body of a thread or comment.' },
  },
});

@ObjectType({ description: 'What a rule looks for (docs/compliance.md, "Matcher semantics").' })
export class Matcher {
  @Field(() => MatcherKind, { description: 'How the rule finds matches.' })
  kind!: MatcherKind;

  @Field(() => [String], {
    description: 'KEYWORDS: the terms; PROFANITY: words added to the bad-words list.',
  })
  terms!: string[];

  @Field(() => String, { nullable: true, description: 'REGEX: the RE2 pattern.' })
  pattern!: string | null;

  @Field(() => [String], {
    description:
      'PII: detector kinds (PHONE, PHONE_CN_MOBILE, PHONE_INTL, EMAIL, CN_RESIDENT_ID); empty: all.',
  })
  piiKinds!: string[];

  @Field(() => [String], { description: 'PROFANITY: words of the bad-words list not used.' })
  exclude!: string[];

  @Field(() => MatchOptions, {
    description: 'KEYWORDS and PROFANITY: how evasions are read (each null: its default).',
  })
  options!: MatchOptions;
}

@ObjectType({ description: 'One rule of a rule set version: what it looks for and what it does.' })
export class Rule {
  @Field(() => ID, {
    description: 'Pass to updateRule or removeRule (while the version is a draft).',
  })
  id!: string;

  @Field({ description: 'Shown to authors in notices and in errors; `diff` pairs rules by it.' })
  name!: string;

  @Field(() => Matcher, { description: 'What the rule looks for.' })
  matcher!: Matcher;

  @Field(() => RuleAction, { description: 'What it does to a matching post.' })
  action!: RuleAction;

  @Field(() => [BoardKind], { description: 'Board kinds the rule applies to; empty: all.' })
  boardKinds!: BoardKind[];

  @Field(() => [PostField], { description: 'Fields the rule applies to; empty: title and body.' })
  fields!: PostField[];

  @Field({ description: 'The law or policy the rule rests on, shown to the author.' })
  legalBasis!: string;

  @Field({ description: 'Why the post was acted on, shown to the author.' })
  explanation!: string;

  @Field({ description: 'Disabled rules are kept but not applied.' })
  enabled!: boolean;
}

@ObjectType({ description: 'A rule of the active version and the same rule (by name) as changed.' })
export class RuleChange {
  @Field(() => Rule, { description: 'As in the active version.' })
  before!: Rule;

  @Field(() => Rule, { description: 'As in this version.' })
  after!: Rule;
}

@ObjectType({
  description:
    'A version\'s rules against its jurisdiction\'s active version, rules paired by name (docs/compliance.md, "Comparing a version").',
})
export class RuleSetDiff {
  @Field(() => [Rule], {
    description: 'Rules of this version with no rule of that name in the active one.',
  })
  added!: Rule[];

  @Field(() => [Rule], {
    description: 'Rules of the active version with no rule of that name in this one.',
  })
  removed!: Rule[];

  @Field(() => [RuleChange], { description: 'Rules in both with some field different.' })
  changed!: RuleChange[];
}

@ObjectType({
  implements: () => [Node],
  description: "One version of a jurisdiction's rules. COMPLIANCE_OFFICER only.",
})
export class RuleSetVersion {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field({ description: 'The jurisdiction code whose rules these are.' })
  jurisdiction!: string;

  @Field(() => Int, {
    description: 'Numbered per jurisdiction in order of publication; an open draft is the newest.',
  })
  version!: number;

  @Field(() => RuleSetStatus, { description: 'DRAFT, ACTIVE or SUPERSEDED.' })
  status!: RuleSetStatus;

  @Field({ description: 'Rounded to the minute.' })
  createdAt!: Date;

  @Field({ description: 'Last change (an edit, the publication); rounded to the minute.' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null for a draft; rounded to the minute.' })
  publishedAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The version whose rules this one started from: the active version a draft copied, or the version a rollback restored.',
  })
  basedOnVersion!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'For a rollback (a draft made by rollbackRuleSet under four eyes, or a version it published): the version whose rules it restores. Null otherwise.',
  })
  rollbackOf!: number | null;

  /** Keyed token of the last editor; resolved into `lastEditedByViewer`, never a GraphQL field. */
  lastEditor!: string;
}

@ObjectType({ description: 'One match of a rule in a tested text.' })
export class RuleHit {
  @Field(() => ID, { description: 'The rule that matched (`Rule.id`).' })
  ruleId!: string;

  @Field({ description: 'Its name.' })
  ruleName!: string;

  @Field(() => RuleAction, { description: 'The action as written in the rule.' })
  action!: RuleAction;

  @Field({ description: 'The jurisdiction code of the rule set version.' })
  jurisdiction!: string;

  @Field(() => Int, { description: 'UTF-16 offset into the tested text, inclusive.' })
  start!: number;

  @Field(() => Int, { description: 'UTF-16 offset into the tested text, exclusive.' })
  end!: number;

  @Field({ description: 'The matched part of the text: `text.slice(start, end)`.' })
  matchedText!: string;

  @Field(() => MatcherKind, { description: "The kind of the rule's matcher." })
  matcherKind!: MatcherKind;

  @Field(() => String, { nullable: true, description: 'For PII hits: the detector that matched.' })
  piiKind!: string | null;

  @Field(() => MatchStep, {
    nullable: true,
    description: 'KEYWORDS and PROFANITY hits: the step of reading the text the hit relies on.',
  })
  via!: MatchStep | null;

  @Field(() => TermExpansion, {
    nullable: true,
    description:
      'KEYWORDS and PROFANITY hits: the form of the term that matched, when not the term as written.',
  })
  expansion!: TermExpansion | null;
}

@ObjectType({ description: 'What a rule set version does to a sample text (testRules).' })
export class RuleTestResult {
  @Field(() => [RuleHit], { description: 'Every match, in text order.' })
  hits!: RuleHit[];

  @Field({
    description:
      'One line, e.g. `BLOCK by DE "Email addresses"; 1 span redacted` (the version’s own jurisdiction governing).',
  })
  outcome!: string;

  @Field({ description: 'The text with the REDACT matches masked.' })
  redactedText!: string;
}
