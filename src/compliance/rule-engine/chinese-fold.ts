import { TRADITIONAL_PAIRS } from './traditional.data';

/**
 * Traditional → Simplified folding of single Han characters.
 *
 * OpenCC converts phrase by phrase; its `tw`/`hk` → `cn` converters never change the length
 * of a text (every character and phrase entry of TSCharacters, TSPhrases and the TW/HK variant
 * dictionaries maps n code points to n code points — only the `twp`/`hkp` idiom converters,
 * not used here, rewrite phrases to other lengths). We fold character by character instead,
 * because (a) a per-character map keeps the offset map trivially exact, (b) it is applied
 * identically to terms and to text, so the context-dependent choices of the phrase
 * dictionaries do not matter for matching, and (c) a table lookup is ~100× faster than running
 * the converter on each post. The table is what the `tw` converter, or else the `hk` one, makes
 * of each character alone, generated from opencc-js by
 * src/compliance/rule-engine/generators/generate-traditional.mjs: building the converters'
 * dictionaries at run time took a large share of the first compilation in a process.
 */
let simplified: Map<number, number> | undefined;

/**
 * Han characters evaders write for a character of another sound because they look alike,
 * which neither OpenCC nor Unicode's confusables data (it only maps the radical forms
 * U+2E80–U+2FDF, `⺾` → 艹) relates: `曰` (yuē) for `日` (rì, `狗曰的`), and the grass
 * radical `艹` for `草` (cǎo, which homophone folding then reads as `操`: `艹你妈`). Folded in
 * terms and text alike, so a term written with `曰` or `艹` still matches itself.
 */
const HAN_LOOKALIKES: readonly (readonly [string, string])[] = [
  ['曰', '日'],
  ['艹', '草'],
];

function table(): Map<number, number> {
  if (simplified !== undefined) return simplified;
  const map = new Map<number, number>();
  const chars = [...TRADITIONAL_PAIRS];
  for (let k = 0; k + 1 < chars.length; k += 2) {
    map.set(chars[k].codePointAt(0)!, chars[k + 1].codePointAt(0)!);
  }
  for (const [lookalike, char] of HAN_LOOKALIKES) {
    map.set(lookalike.codePointAt(0)!, char.codePointAt(0)!);
  }
  simplified = map;
  return map;
}

export function foldHanToSimplified(codePoint: number): number {
  return table().get(codePoint) ?? codePoint;
}
