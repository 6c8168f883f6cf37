import { K_DIGIT, K_SPACE, K_WORD, lastAtMost, type MatchView } from './normalizer';

/**
 * Masked words ("f*ck", "sh*t", "f**k", "f#ck"): one to two letters of a Latin word
 * replaced by mask characters. The rule: a word of the text with one run of one or two mask
 * characters strictly inside it (letters on both sides, so "*bold*" and "#tag" are not
 * masks) matches a whole-word term of at least four letters when the term has exactly that
 * many letters in the masked place and every visible letter agrees. The mask is a wildcard
 * walked through the keyword trie, so no term list is expanded. `!` `$` inside a word are
 * leetspeak, not masks ("b!tch" is "bitch" already). A hyphen inside a word masks one letter
 * or two ("f-ck"); `@` inside a word, read as `a` by leetspeak, also masks one letter of any
 * kind ("f@ck"); a single mask character may also hide a doubled letter ("Schei*e" for
 * `scheiße`, folded to `scheisse`); a `v` between two consonants may stand for `u` ("fvck", "cvnt"), as no
 * English word writes that.
 */
const MASK_CHARACTERS = new Set([...'*#_?%•·-'].map((ch) => ch.charCodeAt(0)));
/** `MASK_CHARACTERS` as a table by UTF-16 unit: every gap between words is looked up. */
const IS_MASK = new Uint8Array(0x10000);
for (const unit of MASK_CHARACTERS) IS_MASK[unit] = 1;
const AT_SIGN = 0x40;
const LETTER_V = 0x76;
const LETTER_U = 0x75;
const MAX_MASK = 2;
/** Fewest letters of a term matched through a mask. */
export const MIN_MASKED_TERM_LETTERS = 4;
const LETTER_A = 0x61;
const LETTER_Z = 0x7a;

/** A masked word: visible positions `first..mask-1` and `mask+1..last` of the view. */
export interface MaskedWord {
  readonly first: number;
  readonly mask: number;
  readonly last: number;
  /** Letters hidden by the mask (mask characters). */
  readonly hidden: number;
  /** The one letter the mask can be (`u` for a `v`), or 0 for any letter. */
  readonly only: number;
}

function isConsonant(view: MatchView, k: number): boolean {
  if (view.kinds[k] !== K_WORD || view.runs[k] !== 1) return false;
  const cp = view.cps[k];
  return cp >= LETTER_A && cp <= LETTER_Z && !'aeiouy'.includes(String.fromCharCode(cp));
}

/**
 * Characters that can make a masked word: the mask characters, and `@` and `v` read as a
 * hidden letter. The text is searched for them and only the view positions holding them are
 * checked, so a post without any costs one native regular-expression pass.
 */
const RE_CANDIDATE = /[*#_?%•·@vV-]/g;

/** The view position whose span holds UTF-16 offset `offset`, or -1. */
function positionAt(view: MatchView, offset: number): number {
  const p = lastAtMost(view.starts, view.length, offset);
  return view.length > 0 && view.starts[p] <= offset && offset < view.ends[p] ? p : -1;
}

/** The masked words of a view of `text` (its original text). */
export function findMaskedWords(view: MatchView, text: string): MaskedWord[] {
  const found: MaskedWord[] = [];
  let letterMasks: MaskedWord[] | null = null;
  let lastGap = -1;
  RE_CANDIDATE.lastIndex = 0;
  for (let m = RE_CANDIDATE.exec(text); m !== null; m = RE_CANDIDATE.exec(text)) {
    // Most `v`s sit next to a vowel or a space ("have", "very"): no mask, no lookup.
    if ((m[0] === 'v' || m[0] === 'V') && !maybeConsonants(text, m.index)) continue;
    const p = positionAt(view, m.index);
    if (p < 1 || p + 1 >= view.length) continue;
    const unit = text.charCodeAt(m.index);
    if (unit === AT_SIGN || (unit | 0x20) === LETTER_V) {
      const word = letterMask(view, text, p, m.index);
      if (word !== null) (letterMasks ??= []).push(word);
    } else if (p !== lastGap) {
      lastGap = p;
      const word = gapMask(view, text, p);
      if (word !== null) found.push(word);
    }
  }
  return letterMasks === null ? found : found.concat(letterMasks);
}

/** Whether the units around `offset` might be consonants (not an ASCII vowel or space). */
function maybeConsonants(text: string, offset: number): boolean {
  return (
    NOT_CONSONANT[text.charCodeAt(offset - 1)] !== 1 &&
    NOT_CONSONANT[text.charCodeAt(offset + 1)] !== 1
  );
}

/** ASCII vowels and whitespace by UTF-16 unit. */
const NOT_CONSONANT = new Uint8Array(128);
for (const ch of 'aeiouyAEIOUY \t\n\r') NOT_CONSONANT[ch.charCodeAt(0)] = 1;

/** A run of one or two mask characters strictly inside a word, at view position `p`. */
function gapMask(view: MatchView, text: string, p: number): MaskedWord | null {
  const { kinds, starts, ends, length } = view;
  if (kinds[p] !== K_SPACE || kinds[p - 1] !== K_WORD || kinds[p + 1] !== K_WORD) return null;
  const hidden = ends[p] - starts[p];
  if (hidden > MAX_MASK) return null;
  for (let u = starts[p]; u < ends[p]; u++) {
    if (IS_MASK[text.charCodeAt(u)] === 0) return null;
  }
  let first = p - 1;
  while (first > 0 && kinds[first - 1] === K_WORD) first--;
  let last = p + 1;
  while (last + 1 < length && kinds[last + 1] === K_WORD) last++;
  // Hyphens chaining three words or more (`return-to-office`) make a compound, no mask.
  if (
    text.charCodeAt(starts[p]) === HYPHEN &&
    (isHyphen(view, text, first - 1) || isHyphen(view, text, last + 1))
  )
    return null;
  if (hidden + visibleLetters(view, first, last) < MIN_MASKED_TERM_LETTERS) return null;
  return { first, mask: p, last, hidden, only: 0 };
}

const HYPHEN = 0x2d;
const DOT = 0x2e;

/** Whether view position `k` is a single hyphen. */
function isHyphen(view: MatchView, text: string, k: number): boolean {
  return (
    k >= 0 &&
    k < view.length &&
    view.kinds[k] === K_SPACE &&
    view.ends[k] - view.starts[k] === 1 &&
    text.charCodeAt(view.starts[k]) === HYPHEN
  );
}

/** Whether an address goes on after view position `last` (`.` and a letter: `@corp.de`). */
function continuesAddress(view: MatchView, text: string, last: number): boolean {
  const end = view.ends[last];
  return text.charCodeAt(end) === DOT && /\p{L}/u.test(text.charAt(end + 1));
}

/** `@` or `v` (at UTF-16 offset `offset`, view position `p`) read as a hidden letter. */
function letterMask(view: MatchView, text: string, p: number, offset: number): MaskedWord | null {
  const { kinds, starts, ends, length } = view;
  if (kinds[p] !== K_WORD || kinds[p - 1] !== K_WORD || kinds[p + 1] !== K_WORD) return null;
  if (view.runs[p] !== 1 || ends[p] - starts[p] !== 1 || starts[p] !== offset) return null;
  let only: number;
  if (text.charCodeAt(offset) === AT_SIGN) only = 0;
  else if (isConsonant(view, p - 1) && isConsonant(view, p + 1)) only = LETTER_U;
  else return null;
  let first = p - 1;
  while (first > 0 && kinds[first - 1] === K_WORD) first--;
  let last = p + 1;
  while (last + 1 < length && kinds[last + 1] === K_WORD) last++;
  if (
    (first > 0 && kinds[first - 1] === K_DIGIT) ||
    (last + 1 < length && kinds[last + 1] === K_DIGIT)
  )
    return null;
  if (visibleLetters(view, first, last) < MIN_MASKED_TERM_LETTERS) return null;
  if (only === 0 && continuesAddress(view, text, last)) return null;
  return { first, mask: p, last, hidden: 1, only };
}

function visibleLetters(view: MatchView, first: number, last: number): number {
  let letters = 0;
  for (let k = first; k <= last; k++) if (view.kinds[k] === K_WORD) letters += view.runs[k];
  return letters;
}

/**
 * Walks every reading of a masked word through a trie: `child` is the trie's transition,
 * `visit` receives each reached state with the run length of each trie position.
 */
export function walkMaskedWord(
  view: MatchView,
  word: MaskedWord,
  child: (state: number, codePoint: number) => number,
  visit: (state: number, runs: readonly number[], flexible: number) => void,
): void {
  /** Index of the run that may hold one letter more than it says, or -1. */
  let flexible = -1;
  const cps: number[] = [];
  const runs: number[] = [];
  let state = 0;
  for (let k = word.first; k < word.mask; k++) {
    state = child(state, view.cps[k]);
    if (state < 0) return;
    cps.push(view.cps[k]);
    runs.push(view.runs[k]);
  }
  const suffix = (from: number): void => {
    let s = from;
    const depth = runs.length;
    for (let k = word.mask + 1; k <= word.last; k++) {
      const cp = view.cps[k];
      if (cps[cps.length - 1] === cp) {
        runs[runs.length - 1] += view.runs[k];
      } else {
        s = child(s, cp);
        if (s < 0) break;
        cps.push(cp);
        runs.push(view.runs[k]);
      }
    }
    if (s >= 0) visit(s, runs, flexible);
    // Undo the suffix (and the merge into the last letter before it).
    cps.length = depth;
    runs.length = depth;
  };
  const hide = (from: number, left: number): void => {
    if (left === 0) {
      const lastRun = runs[runs.length - 1];
      suffix(from);
      runs[runs.length - 1] = lastRun;
      return;
    }
    for (let letter = LETTER_A; letter <= LETTER_Z; letter++) {
      if (word.only !== 0 && letter !== word.only) continue;
      if (cps[cps.length - 1] === letter) {
        runs[runs.length - 1]++;
        hide(from, left - 1);
        runs[runs.length - 1]--;
        continue;
      }
      const next = child(from, letter);
      if (next < 0) continue;
      cps.push(letter);
      runs.push(1);
      // One mask character may hide a doubled letter (`Schei*e` for `scheisse`, the folded ß):
      // the trie path is the same, the visitor accepts one more letter in that run.
      if (word.hidden === 1 && word.only === 0) flexible = runs.length - 1;
      hide(next, left - 1);
      flexible = -1;
      cps.pop();
      runs.pop();
    }
  };
  hide(state, word.hidden);
}
