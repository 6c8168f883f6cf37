import * as OpenCC from 'opencc-js';

/**
 * Traditional → Simplified folding of single Han characters.
 *
 * OpenCC converts phrase by phrase; its `tw`/`hk` → `cn` converters never change the length
 * of a text (every character and phrase entry of TSCharacters, TSPhrases and the TW/HK variant
 * dictionaries maps n code points to n code points — only the `twp`/`hkp` idiom converters,
 * not used here, rewrite phrases to other lengths). We fold character by character instead,
 * converting each Han code point once and caching the result in the caller's tables, because
 * (a) a per-character map keeps the offset map trivially exact, (b) it is applied identically
 * to terms and to text, so the context-dependent choices of the phrase dictionaries do not
 * matter for matching, and (c) a table lookup is ~100× faster than running the converter on
 * each post. A result that is not exactly one code point is ignored (the character is kept).
 */
type Convert = (text: string) => string;
let converters: { readonly tw: Convert; readonly hk: Convert } | undefined;

export function foldHanToSimplified(codePoint: number): number {
  // opencc-js types import './core' without an extension, which ESM resolution leaves
  // unresolved: state the converter type here.
  converters ??= {
    tw: OpenCC.Converter({ from: 'tw', to: 'cn' }) as Convert,
    hk: OpenCC.Converter({ from: 'hk', to: 'cn' }) as Convert,
  };
  const source = String.fromCodePoint(codePoint);
  let converted = converters.tw(source);
  if (converted === source) converted = converters.hk(source);
  const folded = converted.codePointAt(0);
  if (folded === undefined || converted.length !== (folded > 0xffff ? 2 : 1)) return codePoint;
  return folded;
}
