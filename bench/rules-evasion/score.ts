import { compile, evaluate } from '../../src/compliance/rule-engine';
import {
  CATEGORIES,
  EVASION_CASES,
  INNOCENT_CASES,
  type Difficulty,
  type EvasionCategory,
  type InnocentKind,
  type Language,
} from './corpus';
import { EVASION_RULE_SET, ruleOfTerm } from './rule-set';

/**
 * Scores a filter on the evasion corpus. A filter answers, for one text and the terms it
 * hides (none for an innocent text), whether it flags the text for those terms.
 */
export interface TextFilter {
  readonly name: string;
  flags(text: string, terms: readonly string[]): boolean;
}

export interface Rate {
  readonly flagged: number;
  readonly total: number;
  /** flagged / total, 0 for an empty group. */
  readonly rate: number;
}

export interface Score {
  readonly filter: string;
  /** Detection over every evasion case. */
  readonly detection: Rate;
  readonly byCategory: Readonly<Record<EvasionCategory, Rate>>;
  readonly byDifficulty: Readonly<Record<Difficulty, Rate>>;
  readonly byLanguage: Readonly<Record<Language, Rate>>;
  /** False positives over every innocent text. */
  readonly falsePositives: Rate;
  /** False positives on Chinese texts where a term spans two words or a clause break. */
  readonly straddleFalsePositives: Rate;
  readonly falsePositivesByKind: Readonly<Record<InnocentKind, Rate>>;
  /** Evasion cases the filter missed and innocent texts it flagged, for reading. */
  readonly missed: readonly string[];
  readonly wronglyFlagged: readonly string[];
}

const CONTEXT = { governingJurisdictions: [EVASION_RULE_SET.jurisdiction] } as const;

/**
 * The rule engine on the fixture rule set. An evasion case counts as detected when a rule
 * holding one of its terms hits, so a stray hit of another rule does not count; any hit on
 * an innocent text is a false positive.
 */
export function engineFilter(): TextFilter {
  const compiled = compile([EVASION_RULE_SET]);
  return {
    name: 'rule engine',
    flags(text, terms) {
      const rules = new Set(terms.map(ruleOfTerm));
      const hits = evaluate(compiled, text, CONTEXT).hits;
      return hits.some((hit) => rules.size === 0 || rules.has(hit.ruleId));
    },
  };
}

class Tally {
  flagged = 0;
  total = 0;

  add(flagged: boolean): void {
    this.total++;
    if (flagged) this.flagged++;
  }

  rate(): Rate {
    return {
      flagged: this.flagged,
      total: this.total,
      rate: this.total === 0 ? 0 : this.flagged / this.total,
    };
  }
}

function tallies<K extends string>(keys: readonly K[]): Record<K, Tally> {
  return Object.fromEntries(keys.map((key) => [key, new Tally()])) as Record<K, Tally>;
}

function rates<K extends string>(groups: Record<K, Tally>): Record<K, Rate> {
  const out = {} as Record<K, Rate>;
  for (const key of Object.keys(groups) as K[]) out[key] = groups[key].rate();
  return out;
}

export const CATEGORY_NAMES = Object.keys(CATEGORIES) as EvasionCategory[];
const DIFFICULTIES: readonly Difficulty[] = ['common', 'hard'];
const LANGUAGES: readonly Language[] = ['zh', 'en', 'de'];
const INNOCENT_KINDS: readonly InnocentKind[] = ['straddle', 'punctuation', 'scunthorpe', 'plain'];

export function scoreFilter(filter: TextFilter): Score {
  const detection = new Tally();
  const byCategory = tallies(CATEGORY_NAMES);
  const byDifficulty = tallies(DIFFICULTIES);
  const byLanguage = tallies(LANGUAGES);
  const missed: string[] = [];
  for (const c of EVASION_CASES) {
    const flagged = filter.flags(c.text, c.terms);
    detection.add(flagged);
    byCategory[c.category].add(flagged);
    byDifficulty[c.difficulty].add(flagged);
    byLanguage[c.language].add(flagged);
    if (!flagged) missed.push(`${c.category}: ${JSON.stringify(c.text)} → ${c.terms.join(', ')}`);
  }
  const falsePositives = new Tally();
  const straddle = new Tally();
  const byKind = tallies(INNOCENT_KINDS);
  const wronglyFlagged: string[] = [];
  for (const c of INNOCENT_CASES) {
    const flagged = filter.flags(c.text, []);
    falsePositives.add(flagged);
    byKind[c.kind].add(flagged);
    if (c.kind === 'straddle' || c.kind === 'punctuation') straddle.add(flagged);
    if (flagged) wronglyFlagged.push(`${c.kind}: ${JSON.stringify(c.text)}`);
  }
  return {
    filter: filter.name,
    detection: detection.rate(),
    byCategory: rates(byCategory),
    byDifficulty: rates(byDifficulty),
    byLanguage: rates(byLanguage),
    falsePositives: falsePositives.rate(),
    straddleFalsePositives: straddle.rate(),
    falsePositivesByKind: rates(byKind),
    missed,
    wronglyFlagged,
  };
}
