import { K_CJK, K_SPACE, K_WORD, lastAtMost, type MatchView } from './normalizer';

/**
 * Chinese terms with a character masked ("法*功", "共×党", "六x四", "天安**广场"): one or two
 * mask characters between two Han characters stand for as many characters of a term. The
 * normaliser drops a symbol between CJK characters as a separator and keeps an `x` as a
 * letter, so masks are found in the original text and mapped onto the view; the rule
 * engine then walks the keyword trie through the mask, trying every child (see
 * `matchCjkMasked`). Masks inside a term count with at least two visible characters and terms
 * of three characters or more. A two-character term with its second character hidden
 * ("傻X", "傻*经理") counts too, as insults are written so, but only where the mask cannot be
 * an ordinary letter: a `*` may be followed by a CJK character, an `x`, `X` or `×` by
 * neither a letter nor a digit ("X光", "A型和X型" stay innocent).
 */
const RE_CJK_MASK = /\p{Script=Han}([*＊×xX○〇□■●?？_#＃]{1,2})(?=\p{Script=Han})/gu;
/** Any mask character: most texts have none, and this test is cheaper than the one above. */
const RE_ANY_MASK = /[*＊×xX○〇□■●?？_#＃]/;

/**
 * A Han character followed by one mask character: `*` or `＊` before anything but a Latin
 * letter, a digit or another mask, `x`, `X` or `×` before no letter or digit at all.
 */
const RE_CJK_TRAILING_MASK = /\p{Script=Han}(?:[*＊](?![A-Za-z0-9*＊])|[xX×](?![\p{L}\p{N}]))/gu;

/** A mask between view positions `before` and `after` (both CJK) hiding `hidden` characters. */
export interface CjkMask {
  readonly before: number;
  readonly after: number;
  readonly hidden: number;
  /**
   * The mask is one letter `x` or `X`, which evaders also put between the characters of a
   * two-character term as a filler ("六x四"): read as a separator too.
   */
  readonly filler: boolean;
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
    if (between) masks.push({ before, after, hidden: m[1].length, filler: /^[xX]$/u.test(m[1]) });
  }
  return masks;
}

/** A CJK character at view position `before` whose next character is masked, ending at `end`. */
export interface CjkTrailingMask {
  readonly before: number;
  /** UTF-16 offset in the original text just after the mask character. */
  readonly end: number;
}

/** The trailing masks ("傻X") of a view of `text` (its original text); empty for most texts. */
export function findCjkTrailingMasks(view: MatchView, text: string): CjkTrailingMask[] {
  const masks: CjkTrailingMask[] = [];
  if (!RE_ANY_MASK.test(text)) return masks;
  RE_CJK_TRAILING_MASK.lastIndex = 0;
  for (let m = RE_CJK_TRAILING_MASK.exec(text); m !== null; m = RE_CJK_TRAILING_MASK.exec(text)) {
    const before = lastAtMost(view.starts, view.length, m.index);
    if (view.kinds[before] !== K_CJK || view.runs[before] !== 1) continue;
    masks.push({ before, end: m.index + m[0].length });
  }
  return masks;
}
