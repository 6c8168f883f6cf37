import { AppException, ErrorCode } from '../../common/errors';
import { BoardKind } from '../../boards/board.model';
import { RuleAction } from '../notices/compliance-notice.model';
import { assertCompiles, ruleContentFrom } from './rule-content';
import type { RuleInput } from './rule-set.input';
import { MatcherKind, PostField } from './rule-set.model';

const base: RuleInput = {
  name: ' Insults ',
  matcher: { kind: MatcherKind.KEYWORDS, terms: [' idiot ', 'idiot', '', 'Trottel'] },
  action: RuleAction.REDACT,
  boardKinds: [BoardKind.PUBLIC, BoardKind.PUBLIC],
  fields: [PostField.BODY],
  legalBasis: 'StGB §185',
  explanation: 'Insults are masked.',
};
const where = { ruleId: 'r1', ruleSetId: 's1', jurisdiction: 'DE' };

/** The error `fn` throws, as an AppException. */
function thrown(fn: () => unknown): AppException {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppException) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('ruleContentFrom', () => {
  it('trims, de-duplicates and maps to the rule engine’s terms', () => {
    expect(ruleContentFrom(base)).toEqual({
      name: 'Insults',
      matcherKind: 'KEYWORDS',
      terms: ['idiot', 'Trottel'],
      pattern: null,
      piiKinds: [],
      exclude: [],
      matchOptions: {},
      action: 'REDACT',
      boardKinds: ['PUBLIC'],
      fields: ['body'],
      legalBasis: 'StGB §185',
      explanation: 'Insults are masked.',
      enabled: true,
    });
  });

  it('refuses matcher fields that do not belong to the kind, naming the field', () => {
    const error = thrown(() =>
      ruleContentFrom({
        ...base,
        matcher: { kind: MatcherKind.KEYWORDS, terms: ['x'], pattern: 'x' },
      }),
    );
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.details).toMatchObject({ fields: ['input.matcher.pattern'] });
  });

  it('keeps only the evasion options set, and refuses them on matchers that read no terms', () => {
    const set = ruleContentFrom({
      ...base,
      matcher: { ...base.matcher, options: { pinyin: false, masks: true, reversed: null } },
    });
    expect(set.matchOptions).toEqual({ pinyin: false, masks: true });
    const error = thrown(() =>
      ruleContentFrom({
        ...base,
        matcher: { kind: MatcherKind.PII, options: { pinyin: false } },
      }),
    );
    expect(error.details).toMatchObject({ fields: ['input.matcher.options'] });
    // Options left to their defaults are not "set": a PII rule may carry them all null.
    expect(
      ruleContentFrom({ ...base, matcher: { kind: MatcherKind.PII, options: { pinyin: null } } })
        .matchOptions,
    ).toEqual({});
  });

  it('refuses empty or over-long texts and missing terms or patterns', () => {
    for (const input of [
      { ...base, name: '  ' },
      { ...base, explanation: 'x'.repeat(2001) },
      { ...base, matcher: { kind: MatcherKind.KEYWORDS, terms: [' '] } },
      { ...base, matcher: { kind: MatcherKind.REGEX, pattern: '' } },
    ]) {
      expect(thrown(() => ruleContentFrom(input)).code).toBe(ErrorCode.BAD_USER_INPUT);
    }
  });
});

describe('assertCompiles', () => {
  it('accepts a rule the engine compiles, even a disabled one', () => {
    expect(() => assertCompiles(ruleContentFrom({ ...base, enabled: false }), where)).not.toThrow();
  });

  it('refuses a regex that needs backtracking, with the engine’s message and code', () => {
    const content = ruleContentFrom({
      ...base,
      matcher: { kind: MatcherKind.REGEX, pattern: '(a)\\1' },
      enabled: false,
    });
    const error = thrown(() => assertCompiles(content, where));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.details).toMatchObject({
      fields: ['input.matcher.pattern'],
      compileError: 'UNSUPPORTED_REGEX',
    });
    expect(error.message).toContain('Insults');
  });

  it('refuses unknown PII kinds and terms with nothing to match', () => {
    const pii = ruleContentFrom({
      ...base,
      matcher: { kind: MatcherKind.PII, piiKinds: ['shoe_size'] },
    });
    expect(thrown(() => assertCompiles(pii, where)).details).toMatchObject({
      fields: ['input.matcher.piiKinds'],
      compileError: 'UNKNOWN_PII_KIND',
    });
    const symbols = ruleContentFrom({
      ...base,
      matcher: { kind: MatcherKind.KEYWORDS, terms: ['!!!'] },
    });
    expect(thrown(() => assertCompiles(symbols, where)).details).toMatchObject({
      fields: ['input.matcher.terms'],
      compileError: 'INVALID_TERM',
    });
  });
});
