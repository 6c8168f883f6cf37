import { looksLikeGermanText } from './german-text';
import { FINANCIAL_NUMERALS } from './homophones';
import { K_DIGIT, K_WORD, type MatchView } from './normalizer';
import { readingInContext, readingsOfCodePoint } from './pinyin-table';
import { SPLIT_CHARACTERS } from './split-characters.data';
import type { TermExpansion, MatcherDefinition } from './types';

/**
 * Term expansion: the other ways a term is written, found either by extra automaton
 * patterns made when rules are compiled (pinyin, split characters, stems) or by a check of
 * the letters around a match (inflections and compounds of Latin words, which would
 * otherwise multiply the automaton several times over). See docs/compliance.md,
 * "Term expansion".
 */

/** Which expansions a rule uses (see `MatcherDefinition` for the defaults). */
export interface ExpansionOptions {
  readonly inflections: boolean;
  readonly pinyin: boolean;
  /** Shortest Chinese term (in characters) that gets homophones; Infinity: none. */
  readonly homophonesFrom: number;
  /**
   * Two-character terms below `homophonesFrom` still match with one of their characters
   * replaced by a homophone, the other written as in the term (`翻墙` → 番墙, 翻樯).
   */
  readonly homophonePairs: boolean;
  readonly splitCharacters: boolean;
}

/**
 * Homophones of both characters of a two-character term are off unless asked for: with ~400
 * syllables, a pair of syllables turns up by chance in ordinary text far too often (a rule
 * set of a few thousand two-character terms flags most Chinese posts). One character
 * replaced and the other kept (`番墙`, `霸工`, `傻比`) is by default: the kept character cuts
 * chance matches by the size of a syllable's group (10–20 common characters), and the word
 * check drops those that straddle two words.
 */
const DEFAULT_HOMOPHONES_FROM = 3;

export function expansionOptionsOf(matcher: MatcherDefinition): ExpansionOptions {
  const homophones = matcher.matchHomophones;
  return {
    inflections: matcher.matchInflections !== false,
    pinyin: matcher.matchPinyin !== false,
    homophonesFrom:
      homophones === false ? Infinity : homophones === true ? 2 : DEFAULT_HOMOPHONES_FROM,
    homophonePairs: homophones !== false,
    splitCharacters: matcher.matchSplitCharacters !== false,
  };
}

/** An extra spelling of a term, with the expansion that produced it. */
export interface Expansion {
  readonly text: string;
  readonly via: TermExpansion;
  /** The spelling only counts with a suffix or compound part after it (an English stem). */
  readonly needsTail: boolean;
}

/** Codes of `TermExpansion` in typed arrays; 0 is the term as written. */
export const VIA_CODES: readonly (TermExpansion | undefined)[] = [
  undefined,
  'inflection',
  'compound',
  'pinyin',
  'pinyinInitials',
  'homophone',
  'variant',
  'splitCharacters',
];

export function viaCode(via: TermExpansion | undefined): number {
  return VIA_CODES.indexOf(via);
}

// ---------------------------------------------------------------------------------------
// Latin words: inflections and compounds, checked around a match

/** At most this many pinyin readings per term (polyphonic characters multiply them). */
export const MAX_PINYIN_READINGS = 2;

const LATIN_WORD = /^\p{Script=Latin}{3,}$/u;
const GERMAN_MARKS = /[äöüß]|sch|ch|tz|pf/u;

/**
 * Endings that inflect a word. English: plural, verb forms, agent noun, adjective, the
 * dropped-g `-in`. German (only after a term that looks German, see `looksGerman`): the
 * plural and case endings; umlauts are folded by the normaliser, so `arschlöcher` is
 * `arschloch` + `er`. A doubled final consonant (`scabbing`, `shitty`) is accepted by the
 * matcher's repeat rule at that edge.
 */
const ENGLISH_SUFFIXES = new Set([
  's',
  'es',
  'ed',
  'd',
  'ing',
  'in',
  'er',
  'ers',
  'r',
  'rs',
  'y',
  'ies',
  'ier',
  'iest',
  'ish',
]);
const GERMAN_SUFFIXES = new Set(['e', 'en', 'er', 'es', 'em', 'n', 'ern', 's', 'st', 'r', 'rn']);

/**
 * Words that complete a compound after a term (`shithead`, `arschgeige`), and parts that
 * start one before a term (`bullshit`, `motherfucker`, `kackscheiße`). Closed lists, so that
 * a term inside an unrelated word (`Scunthorpe`, `classic`, `assessment`) still never hits.
 */
const COMPOUND_TAILS = new Set([
  'head',
  'face',
  'hole',
  'bag',
  'wad',
  'wit',
  'stick',
  'show',
  'storm',
  'load',
  'hat',
  'wipe',
  'kerl',
  'loch',
  'sack',
  'kopf',
  'haufen',
  'gesicht',
  'geige',
  'kind',
]);
const COMPOUND_HEADS = new Set([
  'bull',
  'horse',
  'mother',
  'dip',
  'dumb',
  'jack',
  'chicken',
  'fat',
  'kack',
  'sau',
  'drecks',
  'voll',
  'mist',
  'riesen',
  'arsch',
  'scheiss',
]);
/** Plural endings of a compound's tail (`shitheads`, `arschgeigen`). */
const TAIL_ENDINGS = ['', 's', 'n', 'en', 'e', 'er'];

/**
 * Real words that an inflection of a bad word happens to spell (`butt` + `er`, `cum` + `in`,
 * `spic` + `y`): never hits through an inflection or compound.
 */
const INNOCENT_FORMS = new Set([
  'butter',
  'butters',
  'buttered',
  'buttering',
  'buttery',
  'butted',
  'butting',
  'spaces',
  'spaced',
  'spacer',
  'spacers',
  'spacing',
  'spacy',
  'willies',
  'cokes',
  'coked',
  'damning',
  'spunky',
  'cocky',
  'cocked',
  'cocking',
  'cocker',
  'cockers',
  'dicker',
  'dickers',
  'dickered',
  'dickering',
  'dicky',
  'dinky',
  'spicy',
  'spiced',
  'spices',
  'spicier',
  'cumin',
  'cumins',
  'muffin',
  'muffins',
  'hoary',
  'hoes',
  'hoed',
  'hoer',
  'craps',
  'heller',
  'pawns',
  'pawned',
  'pawning',
  'pawner',
  'peer',
  'peers',
  'peed',
  'titer',
  'titers',
  'shaggy',
  'knobs',
  'knobby',
  'hellish',
  'hellhole',
  'analy',
  'wanger',
  'jape',
  'japes',
]);

/** A leading or trailing `*` already controls that side; such terms are not inflected. */
export function isInflectable(term: string): boolean {
  return LATIN_WORD.test(term.trim());
}

export function looksGerman(term: string): boolean {
  return GERMAN_MARKS.test(term.toLowerCase());
}

/** Where the word around an accepted affixed match starts and ends (match-view positions). */
export interface AffixMatch {
  wordStart: number;
  wordEnd: number;
  via: TermExpansion;
}

const scratch: AffixMatch = { wordStart: 0, wordEnd: 0, via: 'inflection' };

function isWordKind(kind: number): boolean {
  return kind === K_WORD || kind === K_DIGIT;
}

/** Letters of view positions [from, to); a run counts at most twice (doubled consonants). */
function lettersOf(view: MatchView, from: number, to: number): string {
  let text = '';
  for (let k = from; k < to; k++) {
    if (view.kinds[k] !== K_WORD) return '';
    const letter = String.fromCodePoint(view.cps[k]);
    text += view.runs[k] > 1 ? letter + letter : letter;
  }
  return text;
}

/**
 * Decides whether a term matched at [first, last] of the view inside a longer word is an
 * inflection or compound of it: the letters before it must be a compound head, the letters
 * after it an ending or a compound tail (with an optional plural), and the whole word not a
 * known innocent one. German endings count after a German-looking term, or anywhere in German
 * `text`. `leftOpen`/`rightOpen` say which sides touch more letters. Returns the
 * word's extent (shared object, valid until the next call) or null.
 */
export function matchAffixes(
  view: MatchView,
  first: number,
  last: number,
  leftOpen: boolean,
  rightOpen: boolean,
  german: boolean,
  text?: string,
): AffixMatch | null {
  let wordStart = first;
  let wordEnd = last;
  let via: TermExpansion = 'inflection';
  if (leftOpen) {
    while (wordStart > 0 && isWordKind(view.kinds[wordStart - 1])) wordStart--;
    if (!COMPOUND_HEADS.has(lettersOf(view, wordStart, first))) return null;
    via = 'compound';
  }
  if (rightOpen) {
    while (wordEnd + 1 < view.length && isWordKind(view.kinds[wordEnd + 1])) wordEnd++;
    const tail = lettersOf(view, last + 1, wordEnd + 1);
    if (tail === '') return null;
    if (isCompoundTail(tail)) via = 'compound';
    else if (isOpenHead(view, first, last, tail)) via = 'compound';
    else if (
      !ENGLISH_SUFFIXES.has(tail) &&
      !(GERMAN_SUFFIXES.has(tail) && (german || (text !== undefined && looksLikeGermanText(text))))
    )
      return null;
  }
  if (INNOCENT_FORMS.has(lettersOf(view, wordStart, wordEnd + 1))) return null;
  scratch.wordStart = wordStart;
  scratch.wordEnd = wordEnd;
  scratch.via = via;
  return scratch;
}

/** Fewest letters of a word that completes a compound after an open head. */
const MIN_OPEN_TAIL = 3;
/** Heads that German puts before any noun as an insult (`Scheißfirma`, `Drecksladen`). */
const OPEN_HEADS = new Set(['scheiss', 'kack', 'drecks']);

/**
 * A matched term that is itself an insulting head (`Scheiß`, the stem of `scheiße`) starts
 * compounds with any word (`Scheißfirma`, `Scheißchef`), as German writes them.
 */
function isOpenHead(view: MatchView, first: number, last: number, tail: string): boolean {
  return tail.length >= MIN_OPEN_TAIL && OPEN_HEADS.has(lettersOf(view, first, last + 1));
}

function isCompoundTail(tail: string): boolean {
  for (const ending of TAIL_ENDINGS) {
    if (tail.endsWith(ending) && COMPOUND_TAILS.has(tail.slice(0, tail.length - ending.length)))
      return true;
  }
  return false;
}

/**
 * Stems of a Latin term whose inflections do not contain the term itself: `whore` →
 * `whor` (`whoring`), `pussy` → `pussi` (`pussies`). English stems only count with an
 * ending after them; a German `-e` stem also stands alone (`Scheiß`, `scheißkerl`).
 */
function latinStems(term: string): Expansion[] {
  const word = term.trim();
  if (word.length < 4) return [];
  const lower = word.toLowerCase();
  if (lower.endsWith('e')) {
    const german = looksGerman(lower);
    return [{ text: word.slice(0, -1), via: 'inflection', needsTail: !german }];
  }
  if (/[^aeiou]y$/u.test(lower)) {
    return [{ text: `${word.slice(0, -1)}i`, via: 'inflection', needsTail: true }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------
// Chinese terms: pinyin

const HAN_TERM = /^\p{Script=Han}{2,}$/u;

/** Chinese terms of two or more characters get pinyin and homophones; one is too short. */
export function isHanTerm(term: string): boolean {
  return HAN_TERM.test(term.trim());
}

/** At most this many variant spellings per term. */
export const MAX_VARIANTS = 8;

const NUMERAL_VARIANTS = new Map(
  Object.entries(FINANCIAL_NUMERALS).map(([variant, numeral]) => [numeral, variant]),
);

/** Arabic digits of the Chinese numerals. */
const DIGITS = new Map(
  [...'〇一二三四五六七八九'].map((numeral, digit) => [numeral, String(digit)]),
);
DIGITS.set('零', '0');
/** A character with a financial form or a digit. */
const HAS_NUMERAL = new RegExp(`[${[...NUMERAL_VARIANTS.keys(), ...DIGITS.keys()].join('')}]`, 'u');

/**
 * Spellings of a Chinese term with its numerals in financial form or as Arabic digits, one or
 * all of them (`六四` → 陆肆, 陆四, 六肆, 6四, 六4); homophone folding covers them only for
 * longer terms. A spelling keeps at least one Chinese character: digits alone (`64`) are
 * ordinary numbers.
 */
function variantSpellings(term: string): Expansion[] {
  if (!HAS_NUMERAL.test(term)) return [];
  const chars = [...term];
  let spellings = [''];
  for (const char of chars) {
    const forms = [char, NUMERAL_VARIANTS.get(char), DIGITS.get(char)].filter(
      (form) => form !== undefined,
    );
    // Bounded as it grows: a long run of numerals would otherwise make 3ⁿ spellings.
    spellings = spellings.flatMap((s) => forms.map((form) => s + form)).slice(0, 4 * MAX_VARIANTS);
  }
  return spellings
    .filter((s) => s !== term && !/^[0-9]+$/u.test(s))
    .slice(0, MAX_VARIANTS)
    .map((text) => ({ text, via: 'variant' as const, needsTail: false }));
}
/** Toneless readings of one Han character, most common first (`ü` written `u`). */
export function readingsOf(char: string): readonly string[] {
  return readingsOfCodePoint(char.codePointAt(0) ?? 0);
}

/** Readings in context of Chinese terms (see `readingsInContext`), by term. */
export type ContextReadings = ReadonlyMap<string, readonly string[]>;

/** Whether the word table is needed: a character has several readings. */
function needsContext(perChar: readonly (readonly string[])[]): boolean {
  return perChar.every((r) => r.length > 0) && perChar.some((r) => r.length > 1);
}

/**
 * The readings in context of the Chinese terms that have a polyphonic character, from the
 * word table generated from pinyin-pro's dictionary (see pinyin-table.ts).
 */
export function readingsInContext(terms: Iterable<string>): ContextReadings {
  const found = new Map<string, string[]>();
  for (const raw of terms) {
    const term = raw.trim();
    if (found.has(term) || !isHanTerm(term)) continue;
    const chars = [...term];
    if (!needsContext(chars.map(readingsOf))) continue;
    const reading = readingInContext(chars);
    if (reading.length === chars.length) found.set(term, reading);
  }
  return found;
}

/**
 * Up to `MAX_PINYIN_READINGS` readings of a Chinese term, each an array of syllables: the
 * reading in context (pinyin-pro's word dictionary, `重庆` → chong qing; from `context` when
 * it has the term) first, then the other combinations of each character's readings.
 */
export function pinyinReadings(term: string, context?: ContextReadings): string[][] {
  const chars = [...term];
  const perChar = chars.map(readingsOf);
  if (perChar.some((r) => r.length === 0)) return [];
  // One reading per character (most terms): no need to ask the word dictionary.
  if (!needsContext(perChar)) return [perChar.map((r) => r[0])];
  const inContext = context?.get(term) ?? readingInContext(chars);
  const readings: string[][] = [];
  const seen = new Set<string>();
  const push = (syllables: readonly string[]): void => {
    const key = syllables.join(' ');
    if (seen.has(key) || readings.length >= MAX_PINYIN_READINGS) return;
    seen.add(key);
    readings.push([...syllables]);
  };
  if (inContext.length === chars.length && inContext.every((r) => /^[a-z]+$/u.test(r))) {
    push(inContext);
  }
  const combine = (at: number, prefix: string[]): void => {
    if (readings.length >= MAX_PINYIN_READINGS) return;
    if (at === perChar.length) {
      push(prefix);
      return;
    }
    for (const reading of perChar[at]) combine(at + 1, [...prefix, reading]);
  };
  combine(0, []);
  return readings;
}

/**
 * Initials that are everyday Latin words or abbreviations. Initials with a vowel are never
 * used (`com`, `the`, `and`: English words nearly all have one; pinyin initials rarely do).
 */
const COMMON_INITIALS = new Set([
  'why',
  'shy',
  'try',
  'fly',
  'cry',
  'dry',
  'sky',
  'spy',
  'gym',
  'ply',
  'pry',
  'sly',
  'wry',
  'thy',
  'pdf',
  'ppt',
  'png',
  'jpg',
  'gif',
  'css',
  'txt',
  'xls',
  'csv',
  'dns',
  'ssh',
  'ftp',
  'www',
  'cdn',
  'gdp',
  'cpc',
  'kfc',
  'bmw',
  'bbc',
  'cnn',
  'nhk',
  'nyc',
  'mvp',
  'btw',
  'fyi',
  'tbh',
  'smh',
  'lmk',
  'wtf',
  'mph',
  'kph',
  'hdd',
  'ssd',
  'tcp',
  'xml',
  'sdk',
  'crm',
  'kpi',
  'pcb',
  'pvc',
  'rpm',
  'sms',
  'tpm',
]);

/**
 * Pinyin spellings of a Chinese term of two or more characters: joined (`liusi`) and
 * spaced (`liu si`; a hyphen or dot normalises to the same space), and for three or more
 * characters the initials (`flg`) — two letters would be too common a word — unless they
 * could be an ordinary word (see `COMMON_INITIALS`). Tone digits (`liu4`) are not covered:
 * the normaliser reads digits inside a word as leetspeak.
 */
function pinyinSpellings(term: string, context?: ContextReadings): Expansion[] {
  const chars = [...term];
  const spellings: Expansion[] = [];
  const seen = new Set<string>();
  const add = (text: string, via: TermExpansion): void => {
    if (seen.has(text)) return;
    seen.add(text);
    spellings.push({ text, via, needsTail: false });
  };
  for (const [index, syllables] of pinyinReadings(term, context).entries()) {
    const joined = syllables.join('');
    if (joined.length >= 4) add(joined, 'pinyin');
    // Other readings only joined: the most common way to type them, at a third of the cost.
    if (index > 0) continue;
    add(syllables.join(' '), 'pinyin');
    const initials = syllables.map((s) => s[0]).join('');
    // Initials with a doubled letter (`ssh`, `zzz`) are left out too: the normaliser collapses
    // the double, so the pattern would be one or two letters long, reported inside every word.
    if (
      chars.length >= 3 &&
      !/[aeiou]/u.test(initials) &&
      !/(.)\1/u.test(initials) &&
      !COMMON_INITIALS.has(initials)
    ) {
      add(initials, 'pinyinInitials');
    }
  }
  return spellings;
}

// ---------------------------------------------------------------------------------------
// Chinese terms: split characters

let splits: Map<string, string> | undefined;

/**
 * A Chinese term with every character that has a split written as its two components
 * (`法轮功` → 氵去车仑工力, `罢工` → 罒去工); nothing if no character splits. Only the fully split
 * form: one extra pattern per term keeps compilation fast, and evaders split whole terms.
 */
function splitSpelling(term: string): Expansion[] {
  if (splits === undefined) {
    splits = new Map();
    for (let k = 0; k + 2 < SPLIT_CHARACTERS.length; k += 3) {
      splits.set(SPLIT_CHARACTERS[k], SPLIT_CHARACTERS.slice(k + 1, k + 3));
    }
  }
  const table = splits;
  const text = [...term].map((char) => table.get(char) ?? char).join('');
  return text === term ? [] : [{ text, via: 'splitCharacters', needsTail: false }];
}

// ---------------------------------------------------------------------------------------

/** Extra spellings of a term to add to the automaton, per the rule's options. */
export function expandTerm(
  term: string,
  options: ExpansionOptions,
  context?: ContextReadings,
): Expansion[] {
  const trimmed = term.trim();
  if (options.inflections && isInflectable(trimmed)) return latinStems(trimmed);
  if (isHanTerm(trimmed)) {
    const expansions: Expansion[] = [];
    if (options.pinyin) expansions.push(...pinyinSpellings(trimmed, context));
    expansions.push(...variantSpellings(trimmed));
    if (options.splitCharacters) expansions.push(...splitSpelling(trimmed));
    return expansions;
  }
  return [];
}
