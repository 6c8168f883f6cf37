import { AllProfanity } from 'allprofanity';
import { Filter as BadWordsFilter } from 'bad-words';
import { Filter as GlinFilter } from 'glin-profanity';
import { Mint } from 'mint-filter';
import {
  DataSet,
  RegExpMatcher,
  englishDataset,
  englishRecommendedTransformers,
  parseRawPattern,
} from 'obscenity';
import type { TextFilter } from './score';

/**
 * The open-source filters the engine is compared with. Each keeps its own built-in list (as
 * the engine's PROFANITY rule keeps the bad-words list) and gets the same terms the engine's
 * rules hold, with the evasion options it documents switched on unless noted and result caches
 * off (the bench times repeated checks of one post). A peer flags a text as a whole: it cannot say
 * which term it found, so any flag counts.
 */
export const PEERS: readonly ((terms: readonly string[]) => TextFilter)[] = [
  allProfanity,
  glinProfanity,
  obscenity,
  mintFilter,
  badWords,
];

/**
 * allprofanity: English (default) plus its German dictionary, `add()` for the terms; leetspeak
 * and its evasion protection (masks, separated letters, Unicode) are on by default.
 */
function allProfanity(terms: readonly string[]): TextFilter {
  const filter = new AllProfanity({
    languages: ['english', 'german'],
    silent: true,
    performance: { enableCaching: false },
  });
  filter.add([...terms]);
  return { name: 'allprofanity', flags: (text) => filter.check(text) };
}

/**
 * glin-profanity: English, German and Chinese dictionaries, the terms as `customWords`,
 * leetspeak and Unicode normalisation on. `allowObfuscatedMatch` stays off: with it, half of
 * the ordinary workplace sentences of the corpus are flagged.
 */
function glinProfanity(terms: readonly string[]): TextFilter {
  const filter = new GlinFilter({
    languages: ['english', 'german', 'chinese'],
    customWords: [...terms],
    detectLeetspeak: true,
    normalizeUnicode: true,
    cacheResults: false,
  });
  return { name: 'glin-profanity', flags: (text) => filter.isProfane(text) };
}

/**
 * obscenity: its English dataset plus one phrase per term (`parseRawPattern`, no word
 * boundaries), with the recommended English transformers (confusables, leetspeak,
 * repeated letters, skipping non-letters).
 */
function obscenity(terms: readonly string[]): TextFilter {
  const dataset = new DataSet<{ originalWord: string }>().addAll(englishDataset);
  for (const term of terms) {
    dataset.addPhrase((phrase) =>
      phrase.setMetadata({ originalWord: term }).addPattern(parseRawPattern(term)),
    );
  }
  const matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
  return { name: 'obscenity', flags: (text) => matcher.hasMatch(text) };
}

/** mint-filter: an Aho–Corasick automaton of the terms alone (it ships no list). */
function mintFilter(terms: readonly string[]): TextFilter {
  const mint = new Mint([...terms]);
  return { name: 'mint-filter', flags: (text) => !mint.verify(text) };
}

/** bad-words: its default list plus the terms through `addWords`. */
function badWords(terms: readonly string[]): TextFilter {
  const filter = new BadWordsFilter();
  filter.addWords(...terms);
  return { name: 'bad-words', flags: (text) => filter.isProfane(text) };
}
