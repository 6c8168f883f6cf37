import { foldHanToSimplified } from '../../compliance/rule-engine/chinese-fold';

/**
 * The text side of thread search (docs/discussions.md, "Search"), pure: what the index holds
 * for a thread, what a query asks for, and the snippet shown with a hit.
 *
 * A token is a word as Intl.Segmenter (ICU's dictionary for Chinese, spaces and punctuation
 * elsewhere) finds it in the normalised text: NFKC (full-width letters and digits become
 * ASCII), lower case, Latin diacritics removed (`café` → `cafe`), Traditional Han folded to
 * Simplified character by character (the rule engine's folding), and only letters, marks and
 * digits kept. The index column holds a thread's tokens separated by single spaces; SQLite's
 * FTS5 (`ascii` tokenizer) and PostgreSQL (a tsvector written token by token) index exactly
 * those tokens, and a query goes through the same code, so both stores match alike.
 */

/** The longest query accepted, in characters. */
export const QUERY_MAX_CHARS = 200;
/** The most words and phrases a query may hold (each must match). */
export const QUERY_MAX_TERMS = 12;
/** A token longer than this is cut to it, in the index and in queries alike. */
export const TOKEN_MAX_CHARS = 40;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const APOSTROPHES = /['’]/gu;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/u;

/** Per code point: its folded form (cached; Traditional → Simplified is a converter call). */
const foldCache = new Map<number, string>();

function foldCodePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  let folded = '';
  for (const part of ch.normalize('NFKC').toLowerCase()) {
    if (HAN.test(part)) {
      folded += String.fromCodePoint(foldHanToSimplified(part.codePointAt(0) ?? 0));
    } else if (LATIN.test(part)) {
      folded += part.normalize('NFD').replace(/\p{Mn}/gu, '');
    } else {
      folded += part;
    }
  }
  if (foldCache.size < 65_536) foldCache.set(cp, folded);
  return folded;
}

/** NFKC, lower case, Latin diacritics off, Traditional → Simplified, code point by code point. */
export function foldSearchText(text: string): string {
  let out = '';
  for (const ch of text) out += foldCodePoint(ch);
  return out;
}

/** The tokens of a word-like segment of folded text (`don't` → `dont`; `e.mail` → `e`, `mail`). */
function segmentTokens(segment: string): string[] {
  return segment
    .replace(APOSTROPHES, '')
    .split(NOT_WORD)
    .filter((t) => t.length > 0)
    .map((t) => (t.length > TOKEN_MAX_CHARS ? [...t].slice(0, TOKEN_MAX_CHARS).join('') : t));
}

/** The tokens of `text`, in order (folded, then segmented into words). */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(foldSearchText(text))) {
    if (isWordLike === true) tokens.push(...segmentTokens(segment));
  }
  return tokens;
}

/** What the index holds for a thread: the tokens of its title and body, separated by spaces. */
export function indexText(title: string, body: string): string {
  return [...searchTokens(title), ...searchTokens(body)].join(' ');
}

/** One term of a query: a word, or a phrase (its words next to each other, in order). */
export type SearchTerm = readonly string[];

/**
 * The terms of a query: each word outside quotes is a term; a quoted "two words" is one phrase
 * (an unclosed quote runs to the end). Chinese written without spaces is segmented into its
 * words, each a term of its own. Repeated terms count once; at most QUERY_MAX_TERMS are kept.
 * Empty when the query holds no word (only punctuation, say).
 */
export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  const add = (term: SearchTerm) => {
    const key = term.join(' ');
    if (term.length === 0 || seen.has(key) || terms.length >= QUERY_MAX_TERMS) return;
    seen.add(key);
    terms.push(term);
  };
  const parts = query.replace(/[“”＂]/gu, '"').split('"');
  parts.forEach((part, i) => {
    const tokens = searchTokens(part);
    if (i % 2 === 1) add(tokens);
    else for (const token of tokens) add([token]);
  });
  return terms;
}

/** The FTS5 MATCH expression of the terms: every term quoted (so no input is FTS5 syntax), all ANDed. */
export function fts5Match(terms: readonly SearchTerm[]): string {
  return terms.map((term) => `"${term.join(' ').replace(/"/g, '""')}"`).join(' AND ');
}

const tsLexeme = (token: string): string => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The PostgreSQL tsquery literal of the terms: lexemes quoted, phrases with `<->`, all ANDed. */
export function tsQueryLiteral(terms: readonly SearchTerm[]): string {
  return terms
    .map((term) =>
      term.length === 1 ? tsLexeme(term[0]) : `(${term.map(tsLexeme).join(' <-> ')})`,
    )
    .join(' & ');
}

/** PostgreSQL's largest tsvector position. */
const TS_MAX_POSITION = 16_383;

/** The PostgreSQL tsvector literal of an index text: each token with its positions (from 1). */
export function tsVectorLiteral(tokens: string): string {
  const positions = new Map<string, number[]>();
  tokens
    .split(' ')
    .filter((t) => t.length > 0)
    .forEach((token, i) => {
      const list = positions.get(token) ?? [];
      if (list.length < 256) list.push(Math.min(i + 1, TS_MAX_POSITION));
      positions.set(token, list);
    });
  return [...positions]
    .map(([token, at]) => `${tsLexeme(token)}:${[...new Set(at)].join(',')}`)
    .join(' ');
}

/** About how many characters a snippet shows. */
export const SNIPPET_CHARS = 160;

/**
 * The snippet of a hit: the words of the body around the first place where a query's word
 * occurs, as written (not folded), at most about SNIPPET_CHARS characters, with `…` where the
 * text was cut; the title, then the body's beginning, when the body holds none of the words.
 */
export function snippetOf(title: string, body: string, terms: readonly SearchTerm[]): string {
  return (
    snippetAround(body, terms) ?? snippetAround(title, terms) ?? cut(squeeze(body || title), 0)
  );
}

const squeeze = (text: string): string => text.replace(/\s+/gu, ' ');

/** The snippet of `text` around the first of the terms' words; null when none is in it. */
function snippetAround(text: string, terms: readonly SearchTerm[]): string | null {
  const wanted = new Set(terms.flat());
  let hit = -1;
  let hitEnd = -1;
  for (const { segment, index, isWordLike } of segmenter.segment(text)) {
    if (isWordLike !== true) continue;
    if (segmentTokens(foldSearchText(segment)).some((t) => wanted.has(t))) {
      hit = index;
      hitEnd = index + segment.length;
      break;
    }
  }
  if (hit < 0) return null;
  // Whitespace runs are squeezed: find the hit's place in the squeezed text.
  const before = squeeze(text.slice(0, hit));
  const length = squeeze(text.slice(hit, hitEnd)).length;
  const start = Math.max(0, before.length - Math.floor((SNIPPET_CHARS - length) / 3));
  return cut(squeeze(text), start);
}

/** `text` from about `start` for about SNIPPET_CHARS characters, at word boundaries where near. */
function cut(text: string, start: number): string {
  let from = start;
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space >= 0 && space - from < 15) from = space + 1;
  }
  let to = Math.min(text.length, from + SNIPPET_CHARS);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from && to - space < 15) to = space;
  }
  // Never split a surrogate pair.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(from))) from -= 1;
  if (/[\uDC00-\uDFFF]/.test(text.charAt(to))) to += 1;
  const chars = text.slice(from, to).trim();
  return `${from > 0 ? '…' : ''}${chars}${to < text.length ? '…' : ''}`;
}
