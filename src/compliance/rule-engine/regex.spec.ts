import { compileRegex, findAll, isRegexProblem, type CompiledRegex } from './regex';
import { compile, evaluate } from './rule-engine';
import { aRule, aRuleSet } from './testing/rule-builders';

function compiled(pattern: string): CompiledRegex {
  const result = compileRegex(pattern);
  if (isRegexProblem(result)) throw new Error(result.message);
  return result;
}

function matches(pattern: string, text: string): string[] {
  const pairs: number[] = [];
  findAll(compiled(pattern), text, pairs);
  const out: string[] = [];
  for (let k = 0; k < pairs.length; k += 2) out.push(text.slice(pairs[k], pairs[k + 1]));
  return out;
}

describe('REGEX rules', () => {
  it('runs a pattern that backtracks catastrophically elsewhere in linear time', () => {
    const evil = `${'a'.repeat(50_000)}!`;
    const started = performance.now();
    expect(matches('(a+)+$', evil)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('finds every non-overlapping match', () => {
    expect(matches('\\d{3}', 'ab 123 cd 4567')).toEqual(['123', '456']);
  });

  it('skips empty matches', () => {
    expect(matches('x*', 'ab xx c')).toEqual(['xx']);
  });

  it('derives a literal prefilter and still matches when the literals are present', () => {
    const sut = compiled('Project [A-Z][a-z]+ launch');
    expect(sut.prefilter).not.toBeNull();
    expect(matches('Project [A-Z][a-z]+ launch', 'the Project Falcon launch')).toEqual([
      'Project Falcon launch',
    ]);
  });

  it('derives a case-insensitive prefilter for (?i) patterns without losing matches', () => {
    expect(compiled('(?i)salary band \\d+').prefilter).not.toBeNull();
    expect(matches('(?i)salary band \\d+', 'SaLaRy BAND 7 and salary band 9')).toEqual([
      'SaLaRy BAND 7',
      'salary band 9',
    ]);
  });

  it('matches alternatives whatever branch occurs', () => {
    expect(matches('(?:alpha|beta)-\\d', 'beta-1 alpha-2')).toEqual(['beta-1', 'alpha-2']);
  });

  it('runs on the light view: full-width digits and zero-width characters are folded', () => {
    const sut = compile([aRuleSet('CN', [aRule({ kind: 'REGEX', pattern: 'ID-\\d{4}' })])]);
    const text = 'ＩＤ－１２\u200B３４ and ID-5678';
    expect(
      evaluate(sut, text, { governingJurisdictions: ['CN'] }).hits.map((h) => h.matchedText),
    ).toEqual(['ＩＤ－１２\u200B３４', 'ID-5678']);
  });

  it('keeps CJK punctuation as written, so patterns can use it', () => {
    const sut = compile([aRuleSet('CN', [aRule({ kind: 'REGEX', pattern: '项目，代号' })])]);
    expect(
      evaluate(sut, '这个项目，代号是', { governingJurisdictions: ['CN'] }).hits.map(
        (h) => h.matchedText,
      ),
    ).toEqual(['项目，代号']);
  });
});
