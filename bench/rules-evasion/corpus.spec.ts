import { CATEGORIES, EVASION_CASES, INNOCENT_CASES, type EvasionCategory } from './corpus';
import { ALL_TERMS, ruleOfTerm } from './rule-set';
import { CATEGORY_NAMES, engineFilter, scoreFilter } from './score';

/**
 * Detection per category (percent of its cases) the engine reached when the corpus was
 * written, rounded down: a regression floor. Raise a floor when the engine improves.
 */
const FLOORS: Readonly<Record<EvasionCategory, number>> = {
  pinyin: 94,
  homophone: 94,
  'split-character': 87,
  'line-per-character': 94,
  reversed: 88,
  encoded: 100,
  'spaced-letters': 95,
  masked: 100,
  inflection: 100,
  leetspeak: 100,
  homoglyph: 100,
  fullwidth: 100,
  'zero-width': 100,
  traditional: 100,
  'cjk-separator': 100,
};

/**
 * False positives (percent of innocent texts) at the same time, rounded up: a ceiling.
 * Lower a ceiling when the engine improves.
 */
const CEILINGS = { all: 2, chineseStraddling: 4 } as const;

/** Detection of the common and the hard cases (percent), rounded down: floors as above. */
const DIFFICULTY_FLOORS = { common: 98, hard: 93 } as const;

const MIN_EVASION_CASES = 300;
const MIN_CASES_PER_CATEGORY = 10;
const MIN_INNOCENT_CASES = 60;
const MIN_CHINESE_STRADDLING = 16;

describe('evasion corpus', () => {
  it('has enough cases in every category, language and kind', () => {
    expect(EVASION_CASES.length).toBeGreaterThanOrEqual(MIN_EVASION_CASES);
    for (const name of CATEGORY_NAMES) {
      const count = EVASION_CASES.filter((c) => c.category === name).length;
      expect({ name, enough: count >= MIN_CASES_PER_CATEGORY }).toEqual({ name, enough: true });
    }
    expect(new Set(EVASION_CASES.map((c) => c.language))).toEqual(new Set(['zh', 'en', 'de']));
    expect(new Set(INNOCENT_CASES.map((c) => c.language))).toEqual(new Set(['zh', 'en', 'de']));
    expect(INNOCENT_CASES.length).toBeGreaterThanOrEqual(MIN_INNOCENT_CASES);
    const straddling = INNOCENT_CASES.filter(
      (c) => c.language === 'zh' && (c.kind === 'straddle' || c.kind === 'punctuation'),
    );
    expect(straddling.length).toBeGreaterThanOrEqual(MIN_CHINESE_STRADDLING);
    expect(INNOCENT_CASES.some((c) => c.kind === 'scunthorpe')).toBe(true);
  });

  it('targets only terms of the rule-set fixture, with the difficulty of its category', () => {
    for (const c of EVASION_CASES) {
      expect(c.terms.length).toBeGreaterThan(0);
      for (const term of c.terms)
        expect({ term, rule: ruleOfTerm(term) !== undefined }).toEqual({ term, rule: true });
      expect(c.difficulty).toBe(CATEGORIES[c.category].difficulty);
    }
  });

  it('has no duplicate texts', () => {
    const texts = [...EVASION_CASES, ...INNOCENT_CASES].map((c) => c.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('has every term of the fixture detected when written plainly', () => {
    const engine = engineFilter();
    const missed = ALL_TERMS.filter((term) => !engine.flags(term, [term]));
    expect(missed).toEqual([]);
  });

  it('is detected per category at least as well as the floors, within the false-positive ceilings', () => {
    const score = scoreFilter(engineFilter());
    for (const name of CATEGORY_NAMES) {
      const percent = Math.floor(score.byCategory[name].rate * 100);
      expect({ name, percent: Math.max(percent, FLOORS[name]) }).toEqual({ name, percent });
    }
    for (const difficulty of ['common', 'hard'] as const) {
      const percent = Math.floor(score.byDifficulty[difficulty].rate * 100);
      expect({ difficulty, percent: Math.max(percent, DIFFICULTY_FLOORS[difficulty]) }).toEqual({
        difficulty,
        percent,
      });
    }
    expect(score.falsePositives.rate * 100).toBeLessThanOrEqual(CEILINGS.all);
    expect(score.straddleFalsePositives.rate * 100).toBeLessThanOrEqual(CEILINGS.chineseStraddling);
  });
});
