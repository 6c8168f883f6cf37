import fc from 'fast-check';
import { AhoCorasickBuilder } from './aho-corasick';

function codePoints(text: string): Int32Array {
  return Int32Array.from([...text].map((ch) => ch.codePointAt(0) ?? 0));
}

function occurrences(sutPatterns: readonly string[], text: string): string[] {
  const builder = new AhoCorasickBuilder();
  const stateToPattern = new Map<number, string>();
  const added = sutPatterns.map((pattern) => [builder.add(codePoints(pattern)), pattern] as const);
  const sut = builder.build();
  for (const [state, pattern] of added) stateToPattern.set(sut.stateOf(state), pattern);
  const cps = codePoints(text);
  const count = sut.search(cps, cps.length);
  const found: string[] = [];
  for (let m = 0; m < count; m++) {
    found.push(`${sut.matchEnds[m]}:${stateToPattern.get(sut.matchStates[m])}`);
  }
  return found.sort();
}

function naive(patterns: readonly string[], text: string): string[] {
  const cps = [...text];
  const found = new Set<string>();
  for (const pattern of new Set(patterns)) {
    const p = [...pattern];
    for (let end = p.length - 1; end < cps.length; end++) {
      if (cps.slice(end - p.length + 1, end + 1).join('') === pattern)
        found.add(`${end}:${pattern}`);
    }
  }
  return [...found].sort();
}

describe('AhoCorasick', () => {
  it('reports overlapping and nested patterns at their end positions', () => {
    expect(occurrences(['he', 'she', 'his', 'hers'], 'ushers')).toEqual(
      ['3:she', '3:he', '5:hers'].sort(),
    );
  });

  it('handles astral code points as single positions', () => {
    expect(occurrences(['😀x'], 'a😀x')).toEqual(['2:😀x']);
  });

  it('finds the same occurrences as a naive search (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '习', '近', '😀');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 30 }),
        fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')),
        (patterns, text) => {
          expect(occurrences(patterns, text)).toEqual(naive(patterns, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an empty pattern', () => {
    expect(() => new AhoCorasickBuilder().add([])).toThrow(/empty/);
  });
});
