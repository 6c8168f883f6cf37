import { K_SPACE, K_WORD, type MatchView } from './normalizer';

/**
 * Masked words ("f*ck", "sh*t", "f**k", "f#ck"): one to two letters of a Latin word
 * replaced by mask characters. The rule: a word of the text with one run of one or two mask
 * characters strictly inside it (letters on both sides, so "*bold*" and "#tag" are not
 * masks) matches a whole-word term of at least four letters when the term has exactly that
 * many letters in the masked place and every visible letter agrees. The mask is a wildcard
 * walked through the keyword trie, so no term list is expanded. `!` `$` `@` inside a word
 * are leetspeak, not masks ("b!tch" is "bitch" already).
 */
const MASK_CHARACTERS = new Set([...'*#_?%•·'].map((ch) => ch.charCodeAt(0)));
/** `MASK_CHARACTERS` as a table by UTF-16 unit: every gap between words is looked up. */
const IS_MASK = new Uint8Array(0x10000);
for (const unit of MASK_CHARACTERS) IS_MASK[unit] = 1;
const RE_MASK = /[*#_?%•·]/;
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
}

/** The masked words of a view of `text` (its original text). */
export function findMaskedWords(view: MatchView, text: string): MaskedWord[] {
  if (!RE_MASK.test(text)) return [];
  const { kinds, starts, ends, length } = view;
  const found: MaskedWord[] = [];
  for (let p = 1; p + 1 < length; p++) {
    if (kinds[p] !== K_SPACE || kinds[p - 1] !== K_WORD || kinds[p + 1] !== K_WORD) continue;
    const hidden = ends[p] - starts[p];
    if (hidden > MAX_MASK) continue;
    let onlyMask = true;
    for (let u = starts[p]; u < ends[p]; u++) {
      if (IS_MASK[text.charCodeAt(u)] === 0) onlyMask = false;
    }
    if (!onlyMask) continue;
    let first = p - 1;
    while (first > 0 && kinds[first - 1] === K_WORD) first--;
    let last = p + 1;
    while (last + 1 < length && kinds[last + 1] === K_WORD) last++;
    if (hidden + visibleLetters(view, first, last) < MIN_MASKED_TERM_LETTERS) continue;
    found.push({ first, mask: p, last, hidden });
  }
  return found;
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
  visit: (state: number, runs: readonly number[]) => void,
): void {
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
    if (s >= 0) visit(s, runs);
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
      hide(next, left - 1);
      cps.pop();
      runs.pop();
    }
  };
  hide(state, word.hidden);
}
