import {
  fts5Match,
  indexText,
  parseSearchQuery,
  searchTokens,
  snippetOf,
  TOKEN_MAX_CHARS,
  tsQueryLiteral,
  tsVectorLiteral,
} from './search-text';

describe('search text', () => {
  describe('searchTokens', () => {
    it('splits English on spaces and punctuation, in lower case', () => {
      expect(searchTokens('Overtime PAY, at the plant!')).toEqual([
        'overtime',
        'pay',
        'at',
        'the',
        'plant',
      ]);
    });

    it('segments Chinese written without spaces into words', () => {
      expect(searchTokens('我们公司的工资待遇很好')).toEqual([
        '我们',
        '公司',
        '的',
        '工资',
        '待遇',
        '很好',
      ]);
    });

    it('folds width, diacritics and Traditional characters', () => {
      expect(searchTokens('ＡＢＣ１２３ Café')).toEqual(['abc123', 'cafe']);
      expect(searchTokens('薪水不錯')).toEqual(searchTokens('薪水不错'));
    });

    it('keeps apostrophes inside words and drops symbols', () => {
      expect(searchTokens("don't e-mail ❤ #tag")).toEqual(['dont', 'e', 'mail', 'tag']);
    });

    it('cuts very long tokens', () => {
      const [token] = searchTokens('x'.repeat(500));
      expect(token).toHaveLength(TOKEN_MAX_CHARS);
    });
  });

  it('indexes title and body as one space-separated run of tokens', () => {
    expect(indexText('Night shift', '加班很多')).toBe('night shift 加班 很多');
  });

  describe('parseSearchQuery', () => {
    it('makes each word a term and each quoted phrase one term', () => {
      expect(parseSearchQuery('pay "night shift" Pay')).toEqual([['pay'], ['night', 'shift']]);
    });

    it('treats an unclosed quote as running to the end, and typographic quotes as quotes', () => {
      expect(parseSearchQuery('a “b c” "d e')).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    });

    it('segments Chinese without spaces into words that must all match', () => {
      expect(parseSearchQuery('工资待遇')).toEqual([['工资'], ['待遇']]);
    });

    it('finds no term in punctuation or FTS5 syntax', () => {
      expect(parseSearchQuery('*:()-^"" +')).toEqual([]);
      expect(parseSearchQuery('NEAR(a b)')).toEqual([['near'], ['a'], ['b']]);
    });
  });

  it('quotes every term for FTS5 and PostgreSQL', () => {
    const terms = parseSearchQuery('near "o\'brien pay" or');
    expect(fts5Match(terms)).toBe('"near" AND "obrien pay" AND "or"');
    expect(tsQueryLiteral(terms)).toBe("'near' & ('obrien' <-> 'pay') & 'or'");
    expect(tsQueryLiteral([["it's"]])).toBe("'it''s'");
  });

  it('writes a tsvector literal with each token’s positions', () => {
    expect(tsVectorLiteral('a b a')).toBe("'a':1,3 'b':2");
  });

  describe('snippetOf', () => {
    it('shows the first matched word of the body in context, as written', () => {
      const body = `${'Filler words here. '.repeat(20)}The OVERTIME pay is late. ${'More words. '.repeat(20)}`;
      const snippet = snippetOf('Title', body, parseSearchQuery('overtime'));
      expect(snippet).toContain('The OVERTIME pay is late.');
      expect(snippet.startsWith('…')).toBe(true);
      expect(snippet.endsWith('…')).toBe(true);
      expect(snippet.length).toBeLessThanOrEqual(170);
    });

    it('finds Traditional text for a Simplified query', () => {
      expect(snippetOf('t', '我們公司的薪水不錯', parseSearchQuery('薪水'))).toBe(
        '我們公司的薪水不錯',
      );
    });

    it('falls back to the title, then to the beginning of the body', () => {
      expect(snippetOf('Parking rules', 'Nothing here', parseSearchQuery('parking'))).toBe(
        'Parking rules',
      );
      expect(snippetOf('A', 'Nothing   here', parseSearchQuery('zzz'))).toBe('Nothing here');
    });
  });
});
