import { RuleCompileError } from './errors';
import { compile } from './rule-engine';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';
import type { MatcherDefinition, RuleDefinition } from './types';

function compileError(rule: RuleDefinition, extra: RuleDefinition[] = []): RuleCompileError {
  try {
    compile([aRuleSet('CN', [...extra, rule], 'set-1')]);
  } catch (error: unknown) {
    if (error instanceof RuleCompileError) return error;
    throw error;
  }
  throw new Error('compile did not fail');
}

function regexError(pattern: string): RuleCompileError {
  return compileError(aRule({ kind: 'REGEX', pattern }, { id: 'r-re', name: 'Codename' }));
}

describe('compile', () => {
  it('refuses a backreference, naming the rule and why', () => {
    const sut = regexError('(\\w+) \\1');
    expect(sut.code).toBe('UNSUPPORTED_REGEX');
    expect(sut.ruleId).toBe('r-re');
    expect(sut.ruleSetId).toBe('set-1');
    expect(sut.message).toMatch(/^Rule "Codename" \(r-re in rule set set-1\): .*backreferences/);
    expect(sut.message).toMatch(/linear time/);
  });

  it.each(['foo(?=bar)', 'foo(?!bar)', '(?<=a)b', '(?<!a)b'])('refuses lookaround %s', (p) => {
    expect(regexError(p)).toMatchObject({ code: 'UNSUPPORTED_REGEX', message: /lookahead/ });
  });

  it('refuses possessive quantifiers and atomic groups', () => {
    expect(regexError('a++b').code).toBe('UNSUPPORTED_REGEX');
    expect(regexError('(?>ab)c').code).toBe('UNSUPPORTED_REGEX');
  });

  it('refuses a repetition count above the RE2 limit', () => {
    expect(regexError('(?:a{1000}){1000}')).toMatchObject({
      code: 'INVALID_REGEX',
      message: /invalid repeat count/,
    });
  });

  it('refuses an invalid pattern with the parser message', () => {
    expect(regexError('[a-')).toMatchObject({
      code: 'INVALID_REGEX',
      message: /missing closing \]/,
    });
  });

  it('refuses a missing or empty pattern', () => {
    expect(regexError('').code).toBe('INVALID_REGEX');
  });

  it('refuses a pattern whose program is too large', () => {
    expect(regexError('\\w{300}\\w{300}')).toMatchObject({
      code: 'REGEX_TOO_LARGE',
      message: /602 instructions; the limit is 500/,
    });
  });

  it('refuses a KEYWORDS rule without terms', () => {
    expect(compileError(aRule(keywords())).code).toBe('EMPTY_TERMS');
    expect(compileError(aRule(keywords('  '))).code).toBe('EMPTY_TERMS');
  });

  it('refuses a term with nothing to match after normalisation', () => {
    const sut = compileError(aRule(keywords('ok', '!!!', '😀')));
    expect(sut).toMatchObject({ code: 'INVALID_TERM', message: /"!!!"/ });
  });

  it('refuses an unknown PII kind and lists the known ones', () => {
    const sut = compileError(aRule({ kind: 'PII', piiKinds: ['PASSPORT'] }));
    expect(sut.code).toBe('UNKNOWN_PII_KIND');
    expect(sut.message).toMatch(
      /PASSPORT.*PHONE, PHONE_CN_MOBILE, PHONE_INTL, EMAIL, CN_RESIDENT_ID/,
    );
  });

  it('refuses an unknown matcher kind or action from untyped input', () => {
    const kind = { kind: 'FUZZY' } as unknown as MatcherDefinition;
    expect(compileError(aRule(kind)).code).toBe('INVALID_RULE');
    const action = aRule(keywords('x'), {
      action: 'DELETE' as unknown as RuleDefinition['action'],
    });
    expect(compileError(action).code).toBe('INVALID_RULE');
  });

  it('refuses two rules with the same id', () => {
    const rule = aRule(keywords('x'));
    expect(compileError({ ...rule }, [rule]).code).toBe('DUPLICATE_RULE_ID');
  });

  it('compiles an empty list of rule sets into a set that matches nothing', () => {
    expect(compile([]).stats).toEqual({
      ruleSets: 0,
      rules: 0,
      terms: 0,
      patterns: 0,
      automatonStates: 0,
      regexRules: 0,
      piiRules: 0,
    });
  });

  it('shares one pattern between rules with the same normalised term', () => {
    const sut = compile([
      aRuleSet('CN', [aRule(keywords('习近平', '習近平'))]),
      aRuleSet('TW', [aRule(keywords('习 近 平'))]),
    ]);
    // The term, its pinyin (xijinping, xi jin ping, xjp), its homophone form and its split
    // form (习辶斤平).
    expect([sut.stats.terms, sut.stats.patterns]).toEqual([3, 6]);
  });
});
