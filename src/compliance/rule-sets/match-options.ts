import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import type { MatcherDefinition, MatchVia, TermExpansion as EngineExpansion } from '../rule-engine';

/** Each option's name in the rule engine's matcher. */
const ENGINE_NAMES = {
  decoded: 'matchDecoded',
  spaced: 'matchSpaced',
  lines: 'matchLines',
  masks: 'matchMasks',
  reversed: 'matchReversed',
  checkWords: 'checkWords',
  inflections: 'matchInflections',
  pinyin: 'matchPinyin',
  homophones: 'matchHomophones',
  splitCharacters: 'matchSplitCharacters',
} as const satisfies Record<keyof MatchOptions, keyof MatcherDefinition>;

export const MATCH_OPTION_NAMES = Object.keys(ENGINE_NAMES) as Array<keyof MatchOptions>;

const DESCRIPTIONS: Record<keyof MatchOptions, string> = {
  decoded:
    'Decode HTML character references and percent-encoding (`&#102;&#117;ck`, `%66%75ck`). Default true.',
  spaced: 'Join runs of three or more spaced-out letters (`s c a b`, `f.u.c.k`). Default true.',
  lines:
    'Join single CJK characters written one per line or between commas (`六\\n四`). Default true.',
  masks:
    'Read one or two mask characters inside a word as letters of a term of four or more letters (`f*ck`), and inside or after the first character of a Chinese term (`法*功`, `傻X`, `六x四`). Default true.',
  reversed:
    'Find terms written backwards: Latin words of four letters or more, CJK terms of three characters or more. Default true.',
  checkWords:
    'Two-character CJK terms do not hit where they straddle two words of the text (`方法轮流` for `法轮`). Default true.',
  inflections:
    'Latin one-word terms also match inflections and compounds (`scab` → "scabs", `shit` → "bullshit"). Default true.',
  pinyin:
    'Chinese terms also match their pinyin (`六四` → "liusi", "liu si"), terms of three or more characters their initials (`法轮功` → "flg"). Default true.',
  homophones:
    'Chinese terms also match characters of the same syllable (`习近平` → 习进平). Default (null): terms of three or more characters, and two-character terms with one character as written (`翻墙` → 番墙); true: two-character terms with both replaced too; false: none. Numerals in financial form or as digits (`六四` → 陆肆, 6四) always match.',
  splitCharacters:
    'Chinese terms also match a character written as two components side by side or one above the other (`法轮功` → 氵去车仑工力, `罢工` → 罒去工). Default true.',
};

/**
 * How a KEYWORDS or PROFANITY rule reads evasions (docs/compliance.md, "Normalisation v2" and
 * "Term expansion"): each option trades some precision for recall, so an officer can turn it
 * off for a rule whose terms it misreads. A missing (null) option takes its default, which
 * is the engine's: stored rules keep only what the officer set, and follow better defaults.
 *
 * Sent in `MatcherInput.options` (as MatchOptionsInput) and shown in `Matcher.options`.
 */
@ObjectType({ description: 'How a KEYWORDS or PROFANITY rule reads evasions; null: the default.' })
@InputType('MatchOptionsInput', {
  description: 'KEYWORDS and PROFANITY: how evasions are read; null or missing: the default.',
})
export class MatchOptions {
  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.decoded })
  @IsOptional()
  @IsBoolean()
  decoded?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.spaced })
  @IsOptional()
  @IsBoolean()
  spaced?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.lines })
  @IsOptional()
  @IsBoolean()
  lines?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.masks })
  @IsOptional()
  @IsBoolean()
  masks?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.reversed })
  @IsOptional()
  @IsBoolean()
  reversed?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.checkWords })
  @IsOptional()
  @IsBoolean()
  checkWords?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.inflections })
  @IsOptional()
  @IsBoolean()
  inflections?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.pinyin })
  @IsOptional()
  @IsBoolean()
  pinyin?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.homophones })
  @IsOptional()
  @IsBoolean()
  homophones?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: DESCRIPTIONS.splitCharacters })
  @IsOptional()
  @IsBoolean()
  splitCharacters?: boolean | null;
}

/** The options an officer set (true or false), without the defaults: what a rule stores. */
export function setOptions(values: MatchOptions | null | undefined): MatchOptions {
  const result: MatchOptions = {};
  for (const name of MATCH_OPTION_NAMES) {
    const value = values?.[name];
    if (typeof value === 'boolean') result[name] = value;
  }
  return result;
}

/** Stored options as the API shows them: every option, null where the default applies. */
export function toMatchOptionsModel(values: MatchOptions): MatchOptions {
  const model: MatchOptions = {};
  for (const name of MATCH_OPTION_NAMES) model[name] = values[name] ?? null;
  return model;
}

/** Stored options in the rule engine's matcher fields. */
export function toEngineOptions(values: MatchOptions): Partial<MatcherDefinition> {
  const result: Record<string, boolean> = {};
  for (const name of MATCH_OPTION_NAMES) {
    const value = values[name];
    if (typeof value === 'boolean') result[ENGINE_NAMES[name]] = value;
  }
  return result;
}

/** The normalisation step a term hit relies on (`RuleHit.via`). */
export enum MatchStep {
  EXACT = 'EXACT',
  DECODED = 'DECODED',
  REVERSED = 'REVERSED',
  MASKED = 'MASKED',
  SPACED = 'SPACED',
  LINES = 'LINES',
}
registerEnumType(MatchStep, {
  name: 'MatchStep',
  description:
    'How a term hit was found in the text: EXACT (after case, width, look-alike and separator folding), or only after DECODED (HTML/percent-encoding), REVERSED, MASKED (f*ck), SPACED (s c a b) or LINES (one character per line).',
  valuesMap: {
    EXACT: {
      description: 'Found as written, after case, width, look-alike and separator folding.',
    },
    DECODED: {
      description: 'Found only after decoding HTML character references or percent-encoding.',
    },
    REVERSED: { description: 'Found written backwards.' },
    MASKED: { description: 'Found with one or two letters masked (`f*ck`).' },
    SPACED: { description: 'Found spaced out letter by letter (`s c a b`, `f.u.c.k`).' },
    LINES: {
      description: 'Found written one CJK character per line or between commas.',
    },
  },
});

/** The expansion of a term that matched (`RuleHit.expansion`). */
export enum TermExpansion {
  INFLECTION = 'INFLECTION',
  COMPOUND = 'COMPOUND',
  PINYIN = 'PINYIN',
  PINYIN_INITIALS = 'PINYIN_INITIALS',
  HOMOPHONE = 'HOMOPHONE',
  VARIANT = 'VARIANT',
  SPLIT_CHARACTERS = 'SPLIT_CHARACTERS',
}
registerEnumType(TermExpansion, {
  name: 'TermExpansion',
  description:
    'The form of a term that matched when it was not the term as written: an inflection (scabs), a compound (bullshit), its pinyin (liusi) or pinyin initials (flg), a homophone (习进平), a variant numeral (陆肆), split characters (氵去).',
  valuesMap: {
    INFLECTION: { description: 'An inflection of a Latin term (`scab` → "scabs").' },
    COMPOUND: { description: 'A compound holding a Latin term (`shit` → "bullshit").' },
    PINYIN: { description: 'The pinyin of a Chinese term (`六四` → "liusi").' },
    PINYIN_INITIALS: { description: 'The pinyin initials of a Chinese term (`法轮功` → "flg").' },
    HOMOPHONE: { description: 'Characters of the same syllable (`习近平` → 习进平).' },
    VARIANT: { description: 'A variant form, such as financial numerals (`六四` → 陆肆).' },
    SPLIT_CHARACTERS: {
      description: 'A character written as its left and right components (`法` → 氵去).',
    },
  },
});

const STEPS: Record<MatchVia, MatchStep> = {
  exact: MatchStep.EXACT,
  decoded: MatchStep.DECODED,
  reversed: MatchStep.REVERSED,
  masked: MatchStep.MASKED,
  spaced: MatchStep.SPACED,
  lines: MatchStep.LINES,
};

const EXPANSIONS: Record<EngineExpansion, TermExpansion> = {
  inflection: TermExpansion.INFLECTION,
  compound: TermExpansion.COMPOUND,
  pinyin: TermExpansion.PINYIN,
  pinyinInitials: TermExpansion.PINYIN_INITIALS,
  homophone: TermExpansion.HOMOPHONE,
  variant: TermExpansion.VARIANT,
  splitCharacters: TermExpansion.SPLIT_CHARACTERS,
};

export function toMatchStep(via: MatchVia | undefined): MatchStep | null {
  return via === undefined ? null : STEPS[via];
}

export function toTermExpansion(expansion: EngineExpansion | undefined): TermExpansion | null {
  return expansion === undefined ? null : EXPANSIONS[expansion];
}
