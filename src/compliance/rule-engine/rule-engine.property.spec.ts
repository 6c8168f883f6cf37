import fc from 'fast-check';
import { redact } from './redact';
import { compile, evaluate } from './rule-engine';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';

const TERMS = ['shit', 'project falcon', '习近平', '六四', 'xi大大', '8964', 'ass'];
const sut = compile([
  aRuleSet('CN', [aRule(keywords(...TERMS), { id: 'terms' })]),
  aRuleSet('US', [aRule({ kind: 'PROFANITY' }, { id: 'profanity', action: 'FLAG' })]),
  aRuleSet('EU', [aRule({ kind: 'PII' }, { id: 'pii', action: 'REDACT' })]),
]);
const context = { governingJurisdictions: ['EU'] };

const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E'];
const FILLER = ['the', 'report', 'was', 'late', '今天', '天气', '很好', 'team', '会议', 'ok'];

/** Inserts invisible characters at the given positions (between UTF-16 units of BMP text). */
function insertInvisible(text: string, insertions: readonly [number, number][]): string {
  const chars = [...text];
  for (const [at, which] of [...insertions].sort((a, b) => b[0] - a[0])) {
    chars.splice(at % (chars.length + 1), 0, INVISIBLE[which % INVISIBLE.length]);
  }
  return chars.join('');
}

const stripInvisible = (text: string): string =>
  [...text].filter((ch) => !INVISIBLE.includes(ch)).join('');

/** Ways of writing a term that Normalisation v2 undoes (docs/compliance.md). */
const EVASIONS: readonly ((term: string) => string)[] = [
  (term) => [...term].map((ch) => `&#${ch.codePointAt(0)};`).join(''),
  (term) => encodeURIComponent(term).replace(/[a-z]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`),
  (term) => [...term].join(' '),
  (term) => [...term].join('.'),
  (term) => [...term].join('\n'),
  (term) => [...term].reverse().join(''),
];
const EVADED_TERMS = ['shit', 'scab', '习近平', '法轮功'];

describe('rule engine properties', () => {
  it('an evasion amid other text hits with a span that is exactly the evasion', () => {
    const evaded = compile([aRuleSet('CN', [aRule(keywords(...EVADED_TERMS), { id: 'evaded' })])]);
    fc.assert(
      fc.property(
        fc.constantFrom(...EVADED_TERMS),
        fc.constantFrom(...EVASIONS),
        fc.array(fc.constantFrom(...FILLER), { maxLength: 3 }),
        fc.array(fc.constantFrom(...FILLER), { maxLength: 3 }),
        (term, evade, before, after) => {
          const written = evade(term);
          const prefix = before.length > 0 ? `${before.join(' ')} ` : '';
          const text = `${prefix}${written}${after.length > 0 ? ` ${after.join(' ')}` : ''}`;
          const spans = evaluate(evaded, text, context).hits.map((h) => [h.start, h.end]);
          expect(spans).toContainEqual([prefix.length, prefix.length + written.length]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('zero-width characters inserted anywhere never break a match', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TERMS),
        fc.array(fc.constantFrom(...FILLER), { maxLength: 4 }),
        fc.array(fc.constantFrom(...FILLER), { maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 12 }),
        (term, before, after, insertions) => {
          const clean = [...before, term, ...after].join(' ');
          const text = insertInvisible(clean, insertions);
          const hits = evaluate(sut, text, context).hits.filter((h) => h.ruleId === 'terms');
          expect(hits.map((h) => stripInvisible(h.matchedText).trim())).toContain(term);
          const cleanHits = evaluate(sut, clean, context).hits;
          expect(hits.length).toBe(cleanHits.filter((h) => h.ruleId === 'terms').length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every span slices the original text, on arbitrary Unicode input', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom(
        ...TERMS,
        ...INVISIBLE,
        'ｓｈｉｔ',
        '習近平',
        '13800138000',
        'a@b.co',
        '\uD800',
        '&#102;&#117;ck',
        '%E4%B9%A0',
        '&amp;',
        '%',
        'f*ck',
        's c a b',
        '六\n四',
        '习，近，平',
        'kcuf',
        '平近习',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        for (const hit of evaluate(sut, text, context).hits) {
          expect(hit.start).toBeGreaterThanOrEqual(0);
          expect(hit.end).toBeGreaterThan(hit.start);
          expect(hit.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(hit.start, hit.end)).toBe(hit.matchedText);
          // A span never starts on a low surrogate nor ends after a high one.
          expect(isLowSurrogate(text.charCodeAt(hit.start))).toBe(false);
          expect(isHighSurrogate(text.charCodeAt(hit.end - 1))).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('evasions applied character by character still match the Latin term', () => {
    const fullWidth = (ch: string): string => String.fromCharCode(ch.charCodeAt(0) + 0xfee0);
    const homoglyph: Record<string, string> = { s: 'ѕ', i: 'і', h: 'һ', a: 'а', o: 'о', c: 'с' };
    const transforms: ((ch: string) => string)[] = [
      (ch) => ch,
      (ch) => ch.toUpperCase(),
      fullWidth,
      (ch) => homoglyph[ch] ?? ch,
      (ch) => `${ch}\u200B`,
      (ch) => ch.repeat(4),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('shit', 'bitch', 'asshole'),
        fc.array(fc.nat({ max: transforms.length - 1 }), { minLength: 7, maxLength: 7 }),
        (word, choices) => {
          const disguised = [...word].map((ch, k) => transforms[choices[k]](ch)).join('');
          const text = `well, ${disguised}! said the report`;
          const hits = evaluate(sut, text, context).hits.filter((h) => h.ruleId === 'profanity');
          // A zero-width character after the last letter is not part of the word.
          expect(hits.map((h) => stripInvisible(h.matchedText))).toEqual([
            stripInvisible(disguised),
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('redaction masks exactly the code points of the hit spans', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FILLER, ...TERMS, '13800138000', 'x@y.org', '😀'), {
          maxLength: 10,
        }),
        (words) => {
          const text = words.join(' ');
          const { hits } = evaluate(sut, text, context);
          const masked = redact(text, hits, '\u2588');
          const covered = new Set<number>();
          for (const hit of hits) for (let k = hit.start; k < hit.end; k++) covered.add(k);
          let expected = '';
          for (let k = 0; k < text.length;) {
            const width = (text.codePointAt(k) ?? 0) > 0xffff ? 2 : 1;
            expected += covered.has(k) ? '\u2588' : text.slice(k, k + width);
            k += width;
          }
          expect(masked).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
