import fc from 'fast-check';
import { fromPool, FUZZ_JURISDICTIONS, type Actor, type FuzzWorld } from './mutation-fuzz-map';
import { hugeString, malformedId, mixedString } from './hostile-values';
import type { Plausible } from './schema-arbitraries';

/** Who reads: signed out, as a member and as staff (each reaches its own checks). */
export const QUERY_ACTORS: readonly Actor[] = [
  'visitor',
  'member',
  'member2',
  'moderator',
  'officer',
  'admin',
];

/**
 * Cursors that are not the server's: base64 junk, a real cursor cut, extended or with one
 * character changed, another list's cursor, JSON, huge.
 */
export function cursorArbitrary(world: FuzzWorld): fc.Arbitrary<string> {
  const real = fromPool(() => world.cursors);
  return fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 1, arbitrary: real.map((c) => c.slice(0, Math.max(0, c.length - 5))) },
    { weight: 1, arbitrary: real.map((c) => `${c}AAAA`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(real, fc.nat())
        .map(([c, i]) =>
          c.length === 0
            ? c
            : `${c.slice(0, i % c.length)}${c[i % c.length] === 'A' ? 'B' : 'A'}${c.slice((i % c.length) + 1)}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '=', 'null', 'eyJ9', '[1,2]', 'AAAA', '%%%', '..', '\u202e'),
    },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 600 }) },
    { weight: 1, arbitrary: mixedString },
    { weight: 1, arbitrary: hugeString },
  );
}

/** Any id of the forum's rows, or one that is not. */
function anyId(world: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fromPool(() => [
        ...world.threadIds,
        ...world.commentIds,
        ...world.boardIds,
        ...world.reviewItemIds,
        ...world.draftIds,
        ...world.companyIds,
        ...world.pollIds,
      ]),
    },
    { weight: 1, arbitrary: malformedId },
  );
}

/**
 * Plausible argument values of the queries and subscriptions, by argument path (the rest
 * follow their type): real ids, slugs, cursors and jurisdictions, and page sizes in range.
 */
export function queryPlausibles(world: FuzzWorld): Plausible {
  const cursor = cursorArbitrary(world);
  const first = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(0, 101, -1));
  return {
    id: anyId(world),
    threadId: fromPool(() => world.threadIds),
    ruleSetId: fromPool(() => world.draftIds),
    slug: fc.constantFrom('general', 'deutsch', 'company-fuzzco', 'nope', 'GENERAL', ''),
    boardSlug: fc.constantFrom('general', 'deutsch', 'company-fuzzco', 'nope'),
    after: cursor,
    first,
    limit: fc.integer({ min: -1, max: 20_000 }),
    query: fc.oneof(fc.lorem({ maxCount: 3 }), fc.constantFrom('Pay', '罢工', '"', '*', 'a OR b')),
    search: fc.oneof(fc.lorem({ maxCount: 2 }), fc.constantFrom('fuzz', '%', '_', '\\')),
    text: fc.lorem({ maxCount: 20 }),
    action: fc.constantFrom('thread.removed', 'ruleSet.published', 'role.granted', '%'),
    'filter.jurisdiction': fc.constantFrom(...FUZZ_JURISDICTIONS),
    'filter.companyId': fromPool(() => world.companyIds),
    'filter.search': fc.lorem({ maxCount: 2 }),
  };
}

/** Collects every `endCursor` of an answer, so later calls page on with real cursors. */
export function harvestCursors(data: unknown, world: FuzzWorld, depth = 0): void {
  if (depth > 6 || data === null || typeof data !== 'object') return;
  if (Array.isArray(data)) {
    for (const item of data.slice(0, 3)) harvestCursors(item, world, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key === 'endCursor' && typeof value === 'string' && world.cursors.length < 200) {
      if (!world.cursors.includes(value)) world.cursors.push(value);
    } else harvestCursors(value, world, depth + 1);
  }
}
