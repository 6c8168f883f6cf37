import { compile, RuleCompileError, type RuleCompileErrorCode } from '../rule-engine';
import { InvalidRuleException } from '../compliance.exception';
import type { RuleEntity } from './rule.entity';
import type { RuleInput } from './rule-set.input';
import { toRuleDefinition, toTextField } from './rule-set.mapper';
import { setOptions } from './match-options';
import { MatcherKind } from './rule-set.model';

/** What a rule says, without where it sits (id, version, position). */
export type RuleContent = Omit<RuleEntity, 'id' | 'ruleSetId' | 'position'>;

export const RULE_LIMITS = {
  name: 120,
  legalBasis: 500,
  explanation: 2000,
  terms: 10_000,
  piiKinds: 20,
  rulesPerVersion: 500,
} as const;

const FIELD = 'input';

/**
 * Checks and normalises a rule as sent by a compliance officer: text trimmed (NFC), lists
 * trimmed and de-duplicated, PII kinds upper-cased, each matcher field only on the matcher
 * kind that uses it. Throws BAD_USER_INPUT naming the input field.
 */
export function ruleContentFrom(input: RuleInput): RuleContent {
  const kind = input.matcher.kind;
  const matchOptions = setOptions(input.matcher.options);
  const only = (
    field: 'terms' | 'pattern' | 'piiKinds' | 'exclude' | 'options',
    kinds: MatcherKind[],
    given = isGiven(input.matcher[field]),
  ) => {
    if (given && !kinds.includes(kind)) {
      throw new InvalidRuleException(
        `matcher.${field} applies to ${kinds.join(' and ')} matchers only, not to ${kind}.`,
        `${FIELD}.matcher.${field}`,
      );
    }
  };
  only('terms', [MatcherKind.KEYWORDS, MatcherKind.PROFANITY]);
  only('pattern', [MatcherKind.REGEX]);
  only('piiKinds', [MatcherKind.PII]);
  only('exclude', [MatcherKind.PROFANITY]);
  // Options left to their defaults (null) are not "given": only those set count.
  only(
    'options',
    [MatcherKind.KEYWORDS, MatcherKind.PROFANITY],
    Object.keys(matchOptions).length > 0,
  );

  const pattern = kind === MatcherKind.REGEX ? (input.matcher.pattern ?? '') : null;
  if (pattern !== null && pattern.trim() === '') {
    throw new InvalidRuleException('A REGEX matcher needs a pattern.', `${FIELD}.matcher.pattern`);
  }
  if (kind === MatcherKind.KEYWORDS && (input.matcher.terms ?? []).every((t) => t.trim() === '')) {
    throw new InvalidRuleException(
      'A KEYWORDS matcher needs at least one term.',
      `${FIELD}.matcher.terms`,
    );
  }
  return {
    name: text(input.name, 'name', RULE_LIMITS.name),
    matcherKind: kind,
    terms: list(input.matcher.terms, 'matcher.terms', RULE_LIMITS.terms),
    pattern,
    piiKinds: list(input.matcher.piiKinds, 'matcher.piiKinds', RULE_LIMITS.piiKinds).map((k) =>
      k.toUpperCase(),
    ),
    exclude: list(input.matcher.exclude, 'matcher.exclude', RULE_LIMITS.terms),
    matchOptions,
    action: input.action,
    boardKinds: [...new Set(input.boardKinds ?? [])],
    fields: [...new Set((input.fields ?? []).map(toTextField))],
    legalBasis: text(input.legalBasis, 'legalBasis', RULE_LIMITS.legalBasis),
    explanation: text(input.explanation, 'explanation', RULE_LIMITS.explanation),
    enabled: input.enabled ?? true,
  };
}

/**
 * Compiles the rule alone with the rule engine — enabled, whatever its flag, so a disabled
 * rule is checked too — and turns a RuleCompileError into BAD_USER_INPUT (the rule named by its
 * name and field, the input field, `extensions.compileError` = the engine's code). A REGEX that
 * needs backtracking, an over-large program, a term with nothing to match or an unknown PII
 * kind is refused here, before anything is written.
 */
export function assertCompiles(
  content: RuleContent,
  where: { ruleId: string; ruleSetId: string; jurisdiction: string },
): void {
  const rule = toRuleDefinition({
    ...content,
    id: where.ruleId,
    ruleSetId: where.ruleSetId,
    position: 0,
    enabled: true,
  });
  try {
    compile([{ id: where.ruleSetId, jurisdiction: where.jurisdiction, version: 0, rules: [rule] }]);
  } catch (error) {
    if (!(error instanceof RuleCompileError)) throw error;
    throw new InvalidRuleException(ruleErrorMessage(error), fieldOf(error.code), error.code);
  }
}

/**
 * A compile error as officers read it: the rule by its name and the field to change, never
 * internal ids — e.g. `Rule "Codename", matcher.pattern: backreferences are not supported`.
 */
export function ruleErrorMessage(error: RuleCompileError): string {
  if (error.ruleName === undefined || error.ruleName === '') return error.detail;
  const field = fieldOf(error.code).slice(FIELD.length + 1);
  return `Rule "${error.ruleName}"${field === '' ? '' : `, ${field}`}: ${error.detail}`;
}

function fieldOf(code: RuleCompileErrorCode): string {
  switch (code) {
    case 'INVALID_REGEX':
    case 'UNSUPPORTED_REGEX':
    case 'REGEX_TOO_LARGE':
      return `${FIELD}.matcher.pattern`;
    case 'EMPTY_TERMS':
    case 'INVALID_TERM':
      return `${FIELD}.matcher.terms`;
    case 'UNKNOWN_PII_KIND':
      return `${FIELD}.matcher.piiKinds`;
    case 'INVALID_RULE':
    case 'DUPLICATE_RULE_ID':
      return FIELD;
  }
}

/** Whether a matcher field was sent with something in it (a non-empty list, any value). */
function isGiven(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
}

function text(value: string, field: string, max: number): string {
  const result = value.normalize('NFC').trim();
  if (result.length === 0 || result.length > max) {
    throw new InvalidRuleException(`${field} must be 1 to ${max} characters.`, `${FIELD}.${field}`);
  }
  return result;
}

function list(values: readonly string[] | null | undefined, field: string, max: number): string[] {
  const result = [
    ...new Set((values ?? []).map((v) => v.normalize('NFC').trim()).filter((v) => v !== '')),
  ];
  if (result.length > max) {
    throw new InvalidRuleException(`${field} has more than ${max} entries.`, `${FIELD}.${field}`);
  }
  return result;
}
