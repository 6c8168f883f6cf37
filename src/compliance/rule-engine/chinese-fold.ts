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

function table(): Map<number, number> {
  if (simplified !== undefined) return simplified;
  const map = new Map<number, number>();
  const chars = [...TRADITIONAL_PAIRS];
  for (let k = 0; k + 1 < chars.length; k += 2) {
    map.set(chars[k].codePointAt(0)!, chars[k + 1].codePointAt(0)!);
  }
  simplified = map;
  return map;
}

export function foldHanToSimplified(codePoint: number): number {
  return table().get(codePoint) ?? codePoint;
}
