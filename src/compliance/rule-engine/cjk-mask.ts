import { K_CJK, K_SPACE, K_WORD, lastAtMost, type MatchView } from './normalizer';

/**
 * Chinese terms with a character masked ("法*功", "共×党", "六x四", "天安**广场"): one or two
 * mask characters between two Han characters stand for as many characters of a term. The
 * normaliser drops a symbol between CJK characters as a separator and keeps an `x` as a
 * letter, so masks are found in the original text and mapped onto the view; the rule
 * engine then walks the keyword trie through the mask, trying every child (see
 * `matchCjkMasked`). Only masks inside a term count, with at least two visible characters
 * and terms of three characters or more: a two-character term with one character hidden
 * ("傻X") leaves too little to tell it from ordinary text.
 */
const RE_CJK_MASK = /\p{Script=Han}([*＊×xX○〇□■●?？_#＃]{1,2})(?=\p{Script=Han})/gu;
/** Any mask character: most texts have none, and this test is cheaper than the one above. */
const RE_ANY_MASK = /[*＊×xX○〇□■●?？_#＃]/;

/** A mask between view positions `before` and `after` (both CJK) hiding `hidden` characters. */
export interface CjkMask {
  readonly before: number;
  readonly after: number;
  readonly hidden: number;
}

/** Fewest characters of a term matched through a mask, and fewest of them visible. */
export const MIN_CJK_MASKED_TERM = 3;
export const MIN_CJK_VISIBLE = 2;

/** The masks of a view of `text` (its original text); empty for most texts. */
export function findCjkMasks(view: MatchView, text: string): CjkMask[] {
  const masks: CjkMask[] = [];
  if (!RE_ANY_MASK.test(text)) return masks;
  RE_CJK_MASK.lastIndex = 0;
  for (let m = RE_CJK_MASK.exec(text); m !== null; m = RE_CJK_MASK.exec(text)) {
    const maskStart = m.index + m[0].length - m[1].length;
    const before = lastAtMost(view.starts, view.length, m.index);
    const after = lastAtMost(view.starts, view.length, maskStart + m[1].length);
    if (view.kinds[before] !== K_CJK || view.kinds[after] !== K_CJK || after <= before) continue;
    if (view.runs[before] !== 1 || view.runs[after] !== 1) continue;
    let between = true;
    for (let q = before + 1; q < after; q++) {
      const kind = view.kinds[q];
      if (!(kind === K_SPACE || (kind === K_WORD && (view.cps[q] | 0x20) === 0x78)))
        between = false;
    }
    if (between) masks.push({ before, after, hidden: m[1].length });
  }
  return masks;
}
