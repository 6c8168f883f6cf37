import { grownCopy } from './int-list';
import { K_CJK, K_DIGIT, K_WORD, type MatchView } from './normalizer';
import { readingsOf } from './term-expansion';

/**
 * Terms written half in pinyin ("fa轮功", "法lun功", "xi近平", "维 quan"): where Han
 * characters and Latin letters touch, the stretch around the junction is read again with
 * each Han character replaced by its syllable (its most common reading), and the joined
 * pinyin forms of the terms are matched there. Doing this per text rather than adding every
 * mixture of characters and syllables to the automaton keeps compile time and memory as
 * they are (the mixtures would double the patterns of a big Chinese list), and costs nothing
 * on texts without such a junction.
 *
 * A match must start and end on whole syllables or whole Latin words and cover at least one
 * of each. A two-character term is not read through a syllable that is an English word
 * ("you行不行" is code-switching, not 游行).
 */

/** Han characters or Latin words read on each side of a junction. */
const REACH = 4;

/** Most common syllable of each CJK character seen (null: none, as for kana). */
const syllables = new Map<number, string | null>();

function syllableOf(cp: number): string | null {
  let syllable = syllables.get(cp);
  if (syllable === undefined) {
    syllable = readingsOf(String.fromCodePoint(cp))[0] ?? null;
    syllables.set(cp, syllable);
  }
  return syllable;
}

/** Pinyin syllables that are also English words (see above). */
const ENGLISH_SYLLABLES = new Set(
  'a an ban bang bin bo bu can dan die fan gang hang he hen long man me men mi pan pen pin ping run sao shi sun tan ting wan wen yang yi you zen'.split(
    ' ',
  ),
);

export const MIXED_START = 1;
export const MIXED_END = 2;
export const MIXED_HAN = 4;

/** A transliterated stretch: code points, their view positions and segment marks. */
export class MixedView {
  length = 0;
  cps = new Int32Array(256);
  /** View position each code point comes from. */
  positions = new Int32Array(256);
  /** `MIXED_*` bits: starts a segment, ends one, comes from a Han character. */
  marks = new Uint8Array(256);

  /**
   * Reads view positions `from..to` (a stretch of Han characters and Latin words), each Han
   * character as its syllable or, with `initials`, as the syllable's first letter ("习jp" →
   * "xjp", as `pinyinInitials` spells the term).
   */
  read(view: MatchView, from: number, to: number, initials: boolean): this {
    this.length = 0;
    const { kinds, cps } = view;
    for (let q = from; q <= to; q++) {
      const kind = kinds[q];
      if (kind === K_CJK) {
        const syllable = syllableOf(cps[q]);
        if (syllable === null) {
          this.push(0, q, 0);
          continue;
        }
        const letters = initials ? 1 : syllable.length;
        for (let k = 0; k < letters; k++) {
          const mark =
            MIXED_HAN | (k === 0 ? MIXED_START : 0) | (k === letters - 1 ? MIXED_END : 0);
          this.push(syllable.charCodeAt(k), q, mark);
        }
      } else if (kind === K_WORD) {
        const start = q === 0 || kinds[q - 1] !== K_WORD ? MIXED_START : 0;
        const end = q + 1 >= view.length || kinds[q + 1] !== K_WORD ? MIXED_END : 0;
        this.push(cps[q], q, start | end);
      }
    }
    return this;
  }

  /**
   * Appends a code point; one equal to the one before it merges into it, as the normaliser
   * collapses repeats ("qiang" + "gong" reads "qiangong", as the term "翻墙" + "工" would).
   * The merged letter stays the end of the earlier segment: a match may end there, not
   * start there.
   */
  private push(cp: number, position: number, mark: number): void {
    const last = this.length - 1;
    if (cp !== 0 && last >= 0 && this.cps[last] === cp) return;
    if (this.length === this.cps.length) this.grow();
    this.cps[this.length] = cp;
    this.positions[this.length] = position;
    this.marks[this.length] = mark;
    this.length++;
  }

  private grow(): void {
    const capacity = this.cps.length * 2;
    this.cps = grownCopy(this.cps, new Int32Array(capacity), this.length);
    this.positions = grownCopy(this.positions, new Int32Array(capacity), this.length);
    this.marks = grownCopy(this.marks, new Uint8Array(capacity), this.length);
  }

  /**
   * Whether code points `first..last` are whole segments, mixing Han syllables and Latin
   * letters, and not a two-syllable reading through an English word.
   */
  isMixedMatch(first: number, last: number): boolean {
    const marks = this.marks;
    if ((marks[first] & MIXED_START) === 0 || (marks[last] & MIXED_END) === 0) return false;
    let han = 0;
    let latin = 0;
    let latinText = '';
    for (let k = first; k <= last; k++) {
      const mark = marks[k];
      if ((mark & MIXED_HAN) !== 0) {
        if ((mark & MIXED_START) !== 0) han++;
      } else {
        if ((mark & MIXED_START) !== 0) latin++;
        latinText += String.fromCharCode(this.cps[k]);
      }
    }
    if (han === 0 || latin === 0) return false;
    return !(han === 1 && latin === 1 && ENGLISH_SYLLABLES.has(latinText));
  }
}

/**
 * Stretches of view positions around each junction of a Han character and a Latin letter,
 * as `[from, to]` pairs, overlapping ones merged; empty when there is no junction.
 */
export function mixedStretches(view: MatchView): number[] {
  const { kinds } = view;
  const n = view.length;
  const stretches: number[] = [];
  for (let p = 1; p < n; p++) {
    const a = kinds[p - 1];
    const b = kinds[p];
    if (!((a === K_CJK && b === K_WORD) || (a === K_WORD && b === K_CJK))) continue;
    const from = reach(view, p - 1, -1);
    const to = reach(view, p, 1);
    const last = stretches.length - 1;
    if (last > 0 && from <= stretches[last] + 1) stretches[last] = Math.max(to, stretches[last]);
    else stretches.push(from, to);
  }
  return stretches;
}

/**
 * Whether view positions `from..to` hold a Latin word without vowels, as pinyin initials are
 * (`jp`, `lg`): most English words have one, so initials are rarely read in mixed text.
 */
export function hasConsonantWord(view: MatchView, from: number, to: number): boolean {
  const { kinds, cps } = view;
  let vowels = 0;
  let letters = 0;
  for (let q = from; q <= to + 1; q++) {
    if (q <= to && kinds[q] === K_WORD) {
      letters++;
      if (VOWELS.has(cps[q])) vowels++;
      continue;
    }
    if (letters > 0 && vowels === 0) return true;
    letters = 0;
    vowels = 0;
  }
  return false;
}

const VOWELS = new Set([...'aeiou'].map((c) => c.charCodeAt(0)));

/** The farthest position from `p` in direction `step` within `REACH` segments. */
function reach(view: MatchView, p: number, step: 1 | -1): number {
  const { kinds } = view;
  let segments = 0;
  let q = p;
  for (;;) {
    const next = q + step;
    if (next < 0 || next >= view.length) return q;
    const kind = kinds[next];
    if (kind === K_DIGIT) return q;
    if (kind === K_CJK || kinds[q] !== K_WORD || kind !== K_WORD) segments++;
    if (segments >= REACH) return q;
    q = next;
  }
}
