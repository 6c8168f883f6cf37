import { PINYIN_ASTRAL, PINYIN_BMP, PINYIN_SYLLABLES, PINYIN_WORDS } from './pinyin.data';

/**
 * Pinyin of Han characters and words from tables generated from pinyin-pro
 * (generators/generate-pinyin.mjs). Loading pinyin-pro and building its word dictionary cost
 * about a fifth of the first compilation in a process; these tables are decoded on first use
 * in a few milliseconds.
 */

const SYLLABLES = PINYIN_SYLLABLES.split(' ');
/** First code point of the table's index; the Basic Multilingual Plane's Han start here. */
const BMP_FIRST = 0x3400;
const NONE: readonly string[] = [];

let bmpAt: Int32Array | undefined;
let astral: Map<number, readonly string[]> | undefined;
let words: Map<string, readonly string[]> | undefined;
/** Longest word of the table starting with each character (by its first UTF-16 unit). */
let longestFrom: Map<number, number> | undefined;
/** Decoded readings by code point, filled as characters are asked for. */
const decoded = new Map<number, readonly string[]>();

function isCodeDigit(unit: number): boolean {
  return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x61 && unit <= 0x7a);
}

/** The syllables coded in `data` from `at` (two base-36 digits each) up to the next entry. */
function syllablesAt(data: string, at: number): string[] {
  const out: string[] = [];
  while (at + 1 < data.length && isCodeDigit(data.charCodeAt(at))) {
    out.push(SYLLABLES[parseInt(data.slice(at, at + 2), 36)]);
    at += 2;
  }
  return out;
}

function bmpIndex(): Int32Array {
  if (bmpAt === undefined) {
    const index = new Int32Array(0x10000 - BMP_FIRST).fill(-1);
    for (let at = 0; at < PINYIN_BMP.length; at++) {
      const unit = PINYIN_BMP.charCodeAt(at);
      if (!isCodeDigit(unit)) index[unit - BMP_FIRST] = at + 1;
    }
    bmpAt = index;
  }
  return bmpAt;
}

function astralTable(): Map<number, readonly string[]> {
  if (astral === undefined) {
    astral = new Map();
    for (let at = 0; at < PINYIN_ASTRAL.length;) {
      const cp = PINYIN_ASTRAL.codePointAt(at) ?? 0;
      const readings = syllablesAt(PINYIN_ASTRAL, at + 2);
      astral.set(cp, readings);
      at += 2 + 2 * readings.length;
    }
  }
  return astral;
}

/** Toneless readings of a Han character, most common first; empty if it has none. */
export function readingsOfCodePoint(cp: number): readonly string[] {
  let readings = decoded.get(cp);
  if (readings !== undefined) return readings;
  if (cp >= BMP_FIRST && cp < 0x10000) {
    const at = bmpIndex()[cp - BMP_FIRST];
    readings = at < 0 ? NONE : syllablesAt(PINYIN_BMP, at);
  } else {
    readings = cp < BMP_FIRST ? NONE : (astralTable().get(cp) ?? NONE);
  }
  decoded.set(cp, readings);
  return readings;
}

/** Longest word of the dictionary table, in characters. */
const MAX_WORD = 5;

function wordTable(): Map<string, readonly string[]> {
  if (words === undefined) {
    words = new Map();
    longestFrom = new Map();
    for (const entry of PINYIN_WORDS.split(' ')) {
      let end = entry.length;
      while (end > 0 && isCodeDigit(entry.charCodeAt(end - 1))) end--;
      const word = entry.slice(0, end);
      const reading = syllablesAt(entry, end);
      words.set(word, reading);
      const first = word.charCodeAt(0);
      longestFrom.set(first, Math.max(longestFrom.get(first) ?? 0, reading.length));
    }
  }
  return words;
}

/**
 * The reading in context of a run of Han characters: the dictionary's words whose reading
 * differs from their characters' most common ones, longest first from the left, and each
 * other character's most common reading (`重庆` → chong qing). Empty if a character has no
 * reading.
 */
export function readingInContext(chars: readonly string[]): string[] {
  const table = wordTable();
  const longest = longestFrom ?? new Map<number, number>();
  const out: string[] = [];
  for (let at = 0; at < chars.length;) {
    let matched = false;
    const from = Math.min(MAX_WORD, chars.length - at, longest.get(chars[at].charCodeAt(0)) ?? 0);
    for (let length = from; length >= 2; length--) {
      const reading = table.get(chars.slice(at, at + length).join(''));
      if (reading !== undefined) {
        out.push(...reading);
        at += length;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const first = readingsOfCodePoint(chars[at].codePointAt(0) ?? 0)[0];
    if (first === undefined) return [];
    out.push(first);
    at++;
  }
  return out;
}
