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
@InputType()
export class MatcherInput {
  @Field(() => MatcherKind)
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

@InputType()
export class RuleInput {
  @Field({ description: '1–120 characters.' })
  @IsString()
  name!: string;

  @Field(() => MatcherInput)
  @IsObject()
  matcher!: MatcherInput;

  @Field(() => RuleAction)
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

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}
