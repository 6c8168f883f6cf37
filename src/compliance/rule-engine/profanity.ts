import { Filter } from 'bad-words';

/**
 * The word list of the bad-words package (its own list plus badwords-list, ~900 English
 * words and leetspeak spellings). Only the list is used: bad-words' matcher builds one regular
 * expression per word per call and its `\b` never matches next to Chinese text.
 */
let cached: readonly string[] | undefined;

export function badWordsList(): readonly string[] {
  cached ??= Object.freeze([...new Set(new Filter().list.map((word) => word.trim()))]);
  return cached;
}
