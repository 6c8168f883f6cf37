import fc from 'fast-check';

/**
 * Hostile values for the mutation fuzzer: what a broken or malicious client sends where the
 * schema asks for a string, an id, a number, a list or an object.
 */

/** The server's body limit (MAX_BODY_BYTES default): strings around it test the 413 path. */
export const BODY_LIMIT = 512 * 1024;

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.constantFrom(0x7f, 0x85, 0x9f))
  .map((c) => String.fromCharCode(c));
/** Bidi overrides and isolates, zero-width and other format characters, line separators. */
const invisible = fc.constantFrom(
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u200f',
  '\u200e',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u2028',
  '\u2029',
  '\u00ad',
  '\u034f',
  '\ufff9',
  '\ufffe',
  '\uffff',
);
const exotic = fc.constantFrom(
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '罢工',
  '職場',
  'ｆｕｌｌｗｉｄｔｈ',
  'Z̴̡̛̙̤̞͉͚̯̞̠͍͑ͫ̓ͪ̂ͫ̽͏',
  '\u0958'.repeat(3), // NFC expands each to two code points
  'ﬀﬁﬂ',
  'İı',
  'ß',
  '\u{10ffff}',
  '\u{e0001}',
);
const injection = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE threads; --",
  '"); DELETE FROM accounts; --',
  '%s%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '\\\\?\\C:\\',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'NaN',
  'true',
  '[]',
  '{}',
  '{"$gt":""}',
  '{"__proto__":{"admin":true}}',
  '[[[[[[[[[[]]]]]]]]]]',
  '\\u0000',
  '\\',
  '"',
  '`',
  '$',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '',
);
/** A string that is JSON text: nested objects and arrays where a plain string is expected. */
const nestedJsonText = fc
  .jsonValue({ maxDepth: 6 })
  .map((value) => JSON.stringify(value))
  .filter((text) => text !== undefined);
/** Deeply nested JSON text (a parser's recursion limit, not its size limit). */
const deepJsonText = fc
  .integer({ min: 100, max: 5000 })
  .map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const anyPiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: lone },
  { weight: 2, arbitrary: control },
  { weight: 1, arbitrary: fc.constant('\u0000') },
  { weight: 2, arbitrary: invisible },
  { weight: 2, arbitrary: exotic },
  { weight: 2, arbitrary: injection },
);

/** A mix of the pieces above: lone surrogates, controls, NUL, RTL overrides, emoji, CJK, SQL. */
export const mixedString = fc
  .array(anyPiece, { minLength: 0, maxLength: 12 })
  .map((parts) => parts.join(''));

/**
 * Long strings: just over each field limit the server documents (200, 2,000, 10,000, 20,000
 * characters), far beyond them, and around the 512 KiB body limit (the request then counts
 * as too large). Some are built of characters that are several UTF-16 units or bytes long.
 */
export const hugeString = fc
  .tuple(
    fc.constantFrom(
      121,
      201,
      501,
      2_001,
      10_001,
      20_001,
      65_536,
      200_000,
      BODY_LIMIT - 2_000,
      BODY_LIMIT + 10,
      BODY_LIMIT * 2,
    ),
    fc.constantFrom('x', 'é', '😀', '\u0000', '\ud800', '罢', ' ', '\u202e', 'a b '),
  )
  .map(([length, unit]) => unit.repeat(Math.max(1, Math.floor(length / unit.length))));

/** Every kind of hostile string. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: mixedString },
  { weight: 2, arbitrary: hugeString },
  { weight: 1, arbitrary: nestedJsonText },
  { weight: 1, arbitrary: deepJsonText },
  { weight: 1, arbitrary: injection },
);

/** Integers at the edges: 0, -1, 2^31 (GraphQL Int overflow), 2^53, fractions, -0. */
export const boundaryInt: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    2,
    -2,
    100,
    101,
    3650,
    3651,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    1.5,
    -0.5,
    1e308,
    -0,
  ),
  fc.integer(),
);

const uuidLike = fc.uuid();
/** Ids that are not ids: empty, blank, numbers as text, near-UUIDs, huge, injections. */
export const malformedId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e9',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-0000-0000-0000000000000',
    'not-a-uuid',
    'THREAD:1',
    'a'.repeat(36),
    'a'.repeat(37),
    'a'.repeat(10_000),
    '%',
    '_',
    '*',
  ),
  uuidLike.map((id) => id.toUpperCase()),
  uuidLike.map((id) => ` ${id} `),
  uuidLike.map((id) => `${id}\u0000`),
  uuidLike.map((id) => `${id}' OR '1'='1`),
  mixedString,
  hugeString,
);

/** Values of the wrong GraphQL type: numbers, booleans, null, arrays, objects, nested JSON. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 5 }),
  // Own keys named like prototype properties, as JSON.parse makes them.
  fc.constant(JSON.parse('{"__proto__":{"admin":true}}') as unknown),
  fc.constant(JSON.parse('{"constructor":{"prototype":{"admin":true}}}') as unknown),
);

/** Enum values that are not in the enum. */
export const unknownEnum: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'NOPE', 'null', 'ADMIN ', 'member', 'Member', '__proto__', '*'),
  mixedString,
  fc.integer(),
);

/** Dates that are not dates, or are at the edges of what a Date holds. */
export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    'yesterday',
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00Z',
    '2024-01-01',
    '2024-01-01T00:00:00+99:00',
    'T',
  ),
  fc.integer().map((n) => n * 1000),
  mixedString,
);

/**
 * A long list: many copies of one small element (a long one is replaced by `x`), from just
 * over the documented list limits to beyond the body limit.
 */
export function longList<T>(element: fc.Arbitrary<T>): fc.Arbitrary<Array<T | string>> {
  return fc
    .tuple(fc.constantFrom(101, 501, 1_000, 10_000, 60_000, 150_000), element)
    .map(([length, value]) => {
      const small = (JSON.stringify(value) ?? '').length <= 64 ? value : 'x';
      return Array.from({ length }, () => small);
    });
}
