import { mergeSpans, redact } from './redact';

describe('redact', () => {
  it('masks each code point of each span', () => {
    expect(redact('call 138 now', [{ start: 5, end: 8 }])).toBe('call *** now');
  });

  it('masks astral characters with one mask each', () => {
    expect(redact('a😀b', [{ start: 1, end: 3 }], '#')).toBe('a#b');
  });

  it('merges overlapping spans', () => {
    expect(
      redact('abcdef', [
        { start: 1, end: 3 },
        { start: 2, end: 5 },
      ]),
    ).toBe('a****f');
  });

  it('never splits a surrogate pair', () => {
    expect(redact('a😀b', [{ start: 2, end: 3 }])).toBe('a*b');
  });

  it('clamps spans to the text', () => {
    expect(redact('abc', [{ start: 2, end: 10 }])).toBe('ab*');
  });

  it('returns the text unchanged without spans', () => {
    expect(redact('abc', [])).toBe('abc');
  });

  it('merges touching spans and drops empty ones', () => {
    expect(
      mergeSpans([
        { start: 3, end: 5 },
        { start: 0, end: 3 },
        { start: 7, end: 7 },
      ]),
    ).toEqual([{ start: 0, end: 5 }]);
  });
});
