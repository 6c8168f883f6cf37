import type { RuleDefinition, RuleSetDefinition } from '../../src/compliance/rule-engine';

/**
 * The rule set the evasion corpus is written against: what a workplace forum's compliance
 * officers would plausibly keep — politically sensitive terms a Chinese rule set carries,
 * slurs and legally restricted slogans in English and German, and profanity in all three
 * languages on top of the built-in English list.
 */

/** Politically sensitive terms of a CN rule set, and workplace-protest vocabulary it blocks. */
export const CHINESE_TERMS = [
  '六四',
  '法轮功',
  '翻墙',
  '习近平',
  '游行',
  '示威',
  '罢工',
  '维权',
  '台独',
  '港独',
  '藏独',
  '疆独',
  '东突',
  '独裁',
  '政变',
  '民运',
  '学潮',
  '法会',
  '达赖',
] as const;

/** Slurs and threats in English, including the strike-breaker slur of a workplace forum. */
export const ENGLISH_TERMS = ['scab', 'retard', 'kill yourself', 'bootlicker'] as const;

/** German slurs and slogans that are unlawful or unwelcome on a German board. */
export const GERMAN_TERMS = [
  'streikbrecher',
  'sieg heil',
  'heil hitler',
  'kanake',
  'spast',
] as const;

/**
 * Profanity the PROFANITY rule adds to the built-in English list: Chinese and German words,
 * and the English words the corpus targets (most are in the built-in list already; naming
 * them keeps the corpus independent of that list).
 */
export const PROFANITY_TERMS = [
  'fuck',
  'shit',
  'bitch',
  'asshole',
  'cunt',
  'bastard',
  'scheiße',
  'arschloch',
  'wichser',
  'hurensohn',
  'fotze',
  'miststück',
  '傻逼',
  '他妈的',
  '操你妈',
  '草泥马',
  '狗日的',
  '王八蛋',
] as const;

function rule(id: string, matcher: RuleDefinition['matcher'], action: RuleDefinition['action']) {
  return {
    id,
    name: id,
    matcher,
    action,
    legalBasis: 'evasion corpus',
    explanation: 'evasion corpus',
  } satisfies RuleDefinition;
}

export const EVASION_RULE_SET: RuleSetDefinition = {
  id: 'rs-evasion',
  jurisdiction: 'CN',
  version: 1,
  rules: [
    rule('kw-zh', { kind: 'KEYWORDS', terms: CHINESE_TERMS }, 'BLOCK'),
    rule('kw-en', { kind: 'KEYWORDS', terms: ENGLISH_TERMS }, 'HOLD'),
    rule('kw-de', { kind: 'KEYWORDS', terms: GERMAN_TERMS }, 'HOLD'),
    rule('profanity', { kind: 'PROFANITY', terms: PROFANITY_TERMS }, 'FLAG'),
  ],
};

/** Every term of the fixture's rules, in the order peers are given them. */
export const ALL_TERMS: readonly string[] = [
  ...CHINESE_TERMS,
  ...ENGLISH_TERMS,
  ...GERMAN_TERMS,
  ...PROFANITY_TERMS,
];

/** The rule of the fixture that holds a term (undefined for a term it does not hold). */
export function ruleOfTerm(term: string): string | undefined {
  for (const r of EVASION_RULE_SET.rules) {
    if (r.matcher.terms?.includes(term)) return r.id;
  }
  return undefined;
}
