import { Field, InputType } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsEnum, IsObject, IsOptional, IsString } from 'class-validator';
import { BoardKind } from '../../boards/board.model';
import { RuleAction } from '../notices/compliance-notice.model';
import { MatchOptions } from './match-options';
import { MatcherKind, PostField } from './rule-set.model';

/**
 * The matcher of a rule. Sizes and the fields that apply to each kind are checked by the
 * rule-sets service (with the input field named in `extensions.fields`), then the rule is
 * compiled by the rule engine before it is saved.
 */
@InputType({ description: 'What a rule looks for; only the fields of its kind apply.' })
export class MatcherInput {
  @Field(() => MatcherKind, { description: 'How the rule finds matches.' })
  kind!: MatcherKind;

  @Field(() => [String], {
    nullable: true,
    description: 'KEYWORDS (required): the terms. PROFANITY: extra words.',
  })
  terms?: string[] | null;

  @Field(() => String, { nullable: true, description: 'REGEX (required): an RE2 pattern.' })
  pattern?: string | null;

  @Field(() => [String], { nullable: true, description: 'PII: detector kinds; empty: all.' })
  piiKinds?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'PROFANITY: words of the bad-words list to leave out.',
  })
  exclude?: string[] | null;

  @Field(() => MatchOptions, {
    nullable: true,
    description: 'KEYWORDS and PROFANITY: how evasions are read; missing: every default.',
  })
  options?: MatchOptions | null;
}

@InputType({ description: 'A rule to add to a draft, or its new content.' })
export class RuleInput {
  @Field({ description: '1–120 characters.' })
  @IsString()
  name!: string;

  @Field(() => MatcherInput, { description: 'What the rule looks for.' })
  @IsObject()
  matcher!: MatcherInput;

  @Field(() => RuleAction, { description: 'What it does to a matching post.' })
  @IsEnum(RuleAction)
  action!: RuleAction;

  @Field(() => [BoardKind], { nullable: true, description: 'Empty or missing: all board kinds.' })
  @IsOptional()
  @IsArray()
  @IsEnum(BoardKind, { each: true })
  boardKinds?: BoardKind[] | null;

  @Field(() => [PostField], {
    nullable: true,
    description: 'Empty or missing: title and body.',
  })
  @IsOptional()
  @IsArray()
  @IsEnum(PostField, { each: true })
  fields?: PostField[] | null;

  @Field({ description: '1–500 characters, shown to the author.' })
  @IsString()
  legalBasis!: string;

  @Field({ description: '1–2,000 characters, shown to the author.' })
  @IsString()
  explanation!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'False keeps the rule without applying it.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}
