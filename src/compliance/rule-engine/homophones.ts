import { polyphonic } from 'pinyin-pro';
import { K_CJK } from './normalizer';

/**
 * Homophone folding of Chinese characters: every common character is replaced by a code for
 * its toneless pinyin syllable, in terms and in text alike, so that a term written with other
 * characters of the same sound (`六四` → 溜死, `习近平` → 习进平) matches.
 *
 * Expanding terms into every combination of homophones would multiply the automaton by
 * hundreds (a syllable has 10–20 common characters); folding adds one pattern per term and
 * one extra automaton pass over the folded text instead.
 *
 * "Common" is level 1 of GB 2312 (3,755 characters, read through the WHATWG GB 18030
 * decoder): rare characters sound like too many things and stay themselves. A character with
 * several readings folds by its most common one (pinyin-pro's order), except where a variant
 * form reads differently: the financial numerals (`陆` is written for `六` liù, not read lù).
 */

/** Codes of syllable classes: Supplementary Private Use Area-A, never folded text. */
const CLASS_BASE = 0xf0000;
const HAN_FIRST = 0x4e00;
const HAN_LAST = 0x9fff;

/** Financial numerals, written for the common numerals they stand for (`陆肆` for `六四`). */
export const FINANCIAL_NUMERALS: Readonly<Record<string, string>> = {
  壹: '一',
  贰: '二',
  叁: '三',
  肆: '四',
  伍: '五',
  陆: '六',
  柒: '七',
  捌: '八',
  玖: '九',
  拾: '十',
  佰: '百',
  仟: '千',
};

let classes: Int32Array | undefined;

function commonCharacters(): string {
  const decoder = new TextDecoder('gb18030');
  const bytes: number[] = [];
  for (let lead = 0xb0; lead <= 0xd7; lead++) {
    for (let trail = 0xa1; trail <= (lead === 0xd7 ? 0xf9 : 0xfe); trail++) bytes.push(lead, trail);
  }
  return decoder.decode(new Uint8Array(bytes));
}

function syllableOf(char: string): string | undefined {
  return polyphonic(FINANCIAL_NUMERALS[char] ?? char, { toneType: 'none', type: 'array' })[0]?.[0];
}

/** Per BMP ideograph: its class code, or 0 (not folded). Built on first use (~100 ms). */
function classTable(): Int32Array {
  if (classes !== undefined) return classes;
  const table = new Int32Array(HAN_LAST - HAN_FIRST + 1);
  const ids = new Map<string, number>();
  for (const char of [...commonCharacters(), ...Object.keys(FINANCIAL_NUMERALS)]) {
    const syllable = syllableOf(char);
    if (syllable === undefined || !/^[a-zü]+$/u.test(syllable)) continue;
    let id = ids.get(syllable);
    if (id === undefined) {
      id = ids.size;
      ids.set(syllable, id);
    }
    table[char.codePointAt(0)! - HAN_FIRST] = CLASS_BASE + id;
  }
  classes = table;
  return table;
}

/** The homophone class code of a code point, or the code point itself. */
export function homophoneOf(codePoint: number): number {
  if (codePoint < HAN_FIRST || codePoint > HAN_LAST) return codePoint;
  return classTable()[codePoint - HAN_FIRST] || codePoint;
}

/** Folds a term's code points; null when no character has a class (nothing to add). */
export function foldTermHomophones(cps: readonly number[]): number[] | null {
  let changed = false;
  const folded = cps.map((cp) => {
    const f = homophoneOf(cp);
    if (f !== cp) changed = true;
    return f;
  });
  return changed ? folded : null;
}

let scratch = new Int32Array(1024);

/**
 * The homophone view of a match view's code points: CJK positions folded, every other
 * position 0 (no pattern contains it, so Latin patterns are not matched twice). Returns null
 * when no position folds. Shares one buffer: valid until the next call.
 */
export function foldTextHomophones(
  cps: Int32Array,
  kinds: Uint8Array,
  length: number,
): Int32Array | null {
  if (scratch.length < length) scratch = new Int32Array(length * 2);
  const table = classTable();
  let folded = false;
  for (let k = 0; k < length; k++) {
    const cp = cps[k];
    if (kinds[k] !== K_CJK) {
      scratch[k] = 0;
      continue;
    }
    const f = cp >= HAN_FIRST && cp <= HAN_LAST ? table[cp - HAN_FIRST] : 0;
    if (f !== 0) folded = true;
    scratch[k] = f || cp;
  }
  return folded ? scratch : null;
}
