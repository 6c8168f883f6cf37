/**
 * Word check for short CJK matches. A two-character term found as the last character of one
 * word and the first of the next ("西藏|独特" for 藏独, "旅游|行业" for 游行, "学习|包括" for
 * 习包) is two words, not the term. ICU's dictionary segmenter (`Intl.Segmenter`, built into
 * Node) tells where the words of the text are. A match that shares a character with a word
 * of two or more characters reaching outside it, at either end, is rejected ("方法|会",
 * "电视|台|独家"); a term next to a word ("纪念|六|四", "参加|法|会") still hits, and evasions
 * that insert separators (`六 四`, `六\n四`) leave no word across the separator.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Characters of context segmented on each side of the match: one is what a straddle needs
 * (the word's other character), and short windows recur across posts, so they are
 * remembered well.
 */
const CONTEXT = 1;

/**
 * Decisions by window text. Creating ICU segments costs microseconds, more than matching a
 * whole post; the same short windows recur across posts, so they are remembered (bounded).
 */
const decided = new Map<string, boolean>();
const MAX_DECIDED = 20_000;

/** A code unit of a CJK ideograph, kana, Hangul, or a surrogate (conservatively). */
function isCjkUnit(unit: number): boolean {
  return unit >= 0x2e80;
}

/**
 * Whether the match `[start, end)` of the original text begins inside a word of two or more
 * characters that starts before it, or ends inside one that ends after it.
 */
export function straddlesTwoWords(text: string, start: number, end: number): boolean {
  // Straddling needs a word character glued to each side of the match.
  if (start === 0 || end >= text.length) return false;
  if (!isCjkUnit(text.charCodeAt(start - 1)) || !isCjkUnit(text.charCodeAt(end))) return false;
  const from = Math.max(0, start - CONTEXT);
  const window = text.slice(from, Math.min(text.length, end + CONTEXT));
  const key = `${start - from}:${end - from}:${window}`;
  const known = decided.get(key);
  if (known !== undefined) return known;
  const result = segmentStraddles(window, start - from, end - from);
  if (decided.size >= MAX_DECIDED) decided.clear();
  decided.set(key, result);
  return result;
}

const RE_LETTER = /[\p{L}\p{N}]/u;

function segmentStraddles(window: string, start: number, end: number): boolean {
  let crossesStart = false;
  let crossesEnd = false;
  for (const segment of segmenter.segment(window)) {
    if (segment.isWordLike !== true || segment.segment.length < 2) continue;
    const wordStart = segment.index;
    const wordEnd = wordStart + segment.segment.length;
    // The word must reach a letter outside the match: a format character (U+FEFF) glued to
    // a character by the segmenter makes no word.
    if (wordStart < start && wordEnd > start && wordEnd < end)
      crossesStart ||= RE_LETTER.test(window.slice(wordStart, start));
    if (wordStart > start && wordStart < end && wordEnd > end)
      crossesEnd ||= RE_LETTER.test(window.slice(end, wordEnd));
  }
  return crossesStart || crossesEnd;
}
