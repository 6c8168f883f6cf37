/**
 * German text, told by its function words. Two decisions depend on it: a German ending after
 * a term that does not look German itself (`diese Spasten`, `diese Hurensöhne`), and English
 * bad words that are ordinary German words (`dick` is "thick", `hell` is "bright"), which do
 * not hit in a German sentence. Only words that are not also English words count
 * (`die`, `den`, `in`, `an`, `was`, `will` do not).
 */
const GERMAN_WORDS = new Set([
  'der',
  'das',
  'und',
  'ist',
  'nicht',
  'ein',
  'eine',
  'einen',
  'einem',
  'einer',
  'unser',
  'unsere',
  'unseren',
  'unserem',
  'diese',
  'dieser',
  'dieses',
  'diesen',
  'sehr',
  'ziemlich',
  'für',
  'auf',
  'sich',
  'auch',
  'noch',
  'wir',
  'ich',
  'sie',
  'sind',
  'wird',
  'werden',
  'wie',
  'schon',
  'aber',
  'oder',
  'dass',
  'bei',
  'zum',
  'zur',
  'vom',
  'nach',
  'über',
  'jetzt',
  'immer',
  'wieder',
  'inzwischen',
  'sein',
  'seine',
  'zu',
  'wenn',
  'weil',
  'hier',
  'mein',
  'meine',
  'dein',
  'deine',
  'kein',
  'keine',
  'viel',
  'euer',
  'eure',
  'ihr',
  'ihre',
]);

/** Letters only German writes among the Latin ones here, also as HTML entities. */
const RE_GERMAN_LETTER = /[äöüßÄÖÜ]|&[aouAOU]uml;|&szlig;/u;
const RE_LATIN_WORD = /\p{Script=Latin}+/gu;

let lastText: string | undefined;
let lastResult = false;

/** Whether `text` has a German function word or a German letter. */
export function looksLikeGermanText(text: string): boolean {
  if (text === lastText) return lastResult;
  let result = RE_GERMAN_LETTER.test(text);
  if (!result) {
    for (const match of text.matchAll(RE_LATIN_WORD)) {
      if (GERMAN_WORDS.has(match[0].toLowerCase())) {
        result = true;
        break;
      }
    }
  }
  lastText = text;
  lastResult = result;
  return result;
}

/**
 * English bad words that are ordinary German words, with their German endings: the built-in
 * English list holds `dick` and `hell`.
 */
const GERMAN_HOMOGRAPHS = new Set(
  ['dick', 'hell'].flatMap((word) =>
    ['', 'e', 'en', 'er', 'es', 'em', 'ere', 'eren', 'erer', 'eres'].map((end) => word + end),
  ),
);

/** Whether the match `[start, end)` of `text` is an ordinary German word in German text. */
export function isGermanHomograph(text: string, start: number, end: number): boolean {
  if (end - start > 7 || end - start < 4) return false;
  if (!GERMAN_HOMOGRAPHS.has(text.slice(start, end).toLowerCase())) return false;
  return looksLikeGermanText(text);
}
