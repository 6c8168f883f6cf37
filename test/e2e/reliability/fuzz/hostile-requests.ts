import fc from 'fast-check';
import { BODY_LIMIT, hostileString, mixedString, wrongType } from './hostile-values';

/** A raw HTTP request to /graphql (the fuzzer adds the address and, for some, a session). */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Query string for GET, appended to /graphql. */
  search?: string;
  headers: Record<string, string>;
  body?: string;
  /** What it is, for a failure message. */
  what: string;
  /** Whether the fuzzer sends it with a member's session. */
  signedIn: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const SMALL_QUERY = '{ __typename }';
const PREFLIGHT: Record<string, string> = { 'apollo-require-preflight': 'true' };
const NO_HEADERS: Record<string, string> = {};

/** Bodies that are not JSON, or JSON that is not a GraphQL request. */
const malformedBody = fc.constantFrom(
  '',
  '{',
  '}',
  '{"query":',
  '{"query": "{ __typename }"',
  'null',
  'true',
  '0',
  '"{ __typename }"',
  '[]',
  '[1,2,3]',
  '{}',
  '{"query": 5}',
  '{"query": null}',
  '{"query": ["{ __typename }"]}',
  '{"query": {"a": 1}}',
  '{"query": "{ __typename }", "variables": "x"}',
  '{"query": "{ __typename }", "variables": [1]}',
  '{"query": "{ __typename }", "variables": 5}',
  '{"query": "{ __typename }", "operationName": 5}',
  '{"query": "{ __typename }", "extensions": "x"}',
  '{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}',
  '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
  '{"query": "{ __typename }",}',
  "{'query': '{ __typename }'}",
  '{"query": "\\ud800"}',
  '{"query": "{ __typename }"}garbage',
  '\u0000',
  '\ufeff{"query": "{ __typename }"}',
  '{"__proto__": {"query": "{ __typename }"}}',
  'query=%7B__typename%7D',
);

/** Documents that are not valid GraphQL, or valid but hostile in shape. */
const hostileDocument: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{ }',
    'query',
    'mutation',
    'subscription',
    '{ nope }',
    '{ __schema { types { name } } }',
    '{ __type(name: "Query") { fields { name } } }',
    'query A { __typename } query B { __typename }',
    'fragment F on Query { ...F } { ...F }',
    '{ ...on Query { ...on Query { __typename } } }',
    '{ __typename @skip(if: true) @include(if: false) @deprecated }',
    '{ viewer { threads(first: 100) { edges { node { comments(first: 100) { edges { node { id } } } } } } } }',
    'query ($a: Int = "x") { __typename }',
    'query ($a: Nope) { __typename }',
    'query ($a: Int!) { __typename }',
    '{ thread(id: "x") { id } thread(id: "y") { id } }',
    '# only a comment',
    '"""a description""" { __typename }',
    '{ __typename }\u0000',
    '{ __typename }}',
  ),
  // Deep selections, many aliases, many fields, long names, many directives.
  fc
    .integer({ min: 20, max: 3_000 })
    .map(
      (depth) =>
        `${'{ viewer { threads(first: 1) { edges { node '.repeat(1)}${'{ __typename '.repeat(depth)}${'}'.repeat(depth)} } } } }`,
    ),
  fc
    .integer({ min: 50, max: 5_000 })
    .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `{ ${'__typename '.repeat(n)}}`),
  fc.integer({ min: 300, max: 100_000 }).map((n) => `{ ${'x'.repeat(n)} }`),
  fc
    .integer({ min: 10, max: 1_000 })
    .map((n) => `{ __typename ${'@include(if: true) '.repeat(n)}}`),
  fc
    .integer({ min: 10, max: 5_000 })
    .map((n) => `{ boards { ${'...on Board { id } '.repeat(n)}} }`),
  fc.integer({ min: 10, max: 2_000 }).map((n) => `${'['.repeat(n)}`),
  mixedString,
);

const authorization = fc.constantFrom(
  'Bearer ',
  'Bearer',
  'Bearer x',
  'Basic dXNlcjpwYXNz',
  `Bearer ${'a'.repeat(10_000)}`,
  'Bearer \u00ff\u00fe',
  'bearer 00000000-0000-4000-8000-000000000000',
  'Bearer null',
  'Token abc',
);

const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** Percent-encoded text; a lone surrogate becomes the bytes of one (ED A0 80: not UTF-8). */
const percentEncoded = (text: string): string =>
  Array.from(text, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80';
    }
  }).join('');

/**
 * Requests a broken or hostile client sends: malformed JSON, wrong content types, batched
 * arrays, unknown operation names, variables of the wrong type, GET queries (with and without
 * the CSRF-proof header), other methods, hostile documents and headers, huge bodies.
 */
export const hostileRequest: fc.Arbitrary<RawRequest> = fc.oneof<fc.Arbitrary<RawRequest>[]>(
  malformedBody.map((body) => ({
    method: 'POST' as const,
    headers: JSON_TYPE,
    body,
    what: `malformed body ${body.slice(0, 60)}`,
    signedIn: false,
  })),
  fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/graphql',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/xml',
        '',
        'application/json, text/plain',
        '*/*',
      ),
      fc.boolean(),
    )
    .map(([type, preflight]) => ({
      method: 'POST' as const,
      headers: {
        ...(type === '' ? {} : { 'content-type': type }),
        ...(preflight ? { 'apollo-require-preflight': 'true' } : {}),
      },
      body: json({ query: SMALL_QUERY }),
      what: `content type "${type}"${preflight ? ' with preflight header' : ''}`,
      signedIn: false,
    })),
  fc.integer({ min: 1, max: 2_000 }).map((n) => ({
    method: 'POST' as const,
    headers: JSON_TYPE,
    body: json(Array.from({ length: n }, () => ({ query: SMALL_QUERY }))),
    what: `a batch of ${n}`,
    signedIn: false,
  })),
  fc
    .tuple(
      fc.oneof(fc.constantFrom('', 'Nope', 'A', 'B', '__proto__'), mixedString),
      fc.constantFrom('query A { __typename } query B { __typename }', SMALL_QUERY),
    )
    .map(([operationName, query]) => ({
      method: 'POST' as const,
      headers: JSON_TYPE,
      body: json({ query, operationName }),
      what: `operationName ${json(operationName).slice(0, 60)}`,
      signedIn: false,
    })),
  fc
    .tuple(
      fc.constantFrom(
        'query ($id: ID!) { thread(id: $id) { id } }',
        'query ($first: Int!) { home(first: $first) { edges { cursor } } }',
        'query ($s: String) { companies(search: $s) { id } }',
        'query ($f: ReviewQueueFilter) { reviewQueue(first: 5, filter: $f) { edges { cursor } } }',
        'query ($from: DateTime!, $to: DateTime!) { transparencyReport(from: $from, to: $to) { __typename } }',
      ),
      fc.dictionary(fc.constantFrom('id', 'first', 's', 'f', 'from', 'to', 'x'), wrongType, {
        maxKeys: 3,
      }),
      fc.boolean(),
    )
    .map(([query, variables, signedIn]) => ({
      method: 'POST' as const,
      headers: JSON_TYPE,
      body: json({ query, variables }),
      what: `variables of the wrong type ${json(variables).slice(0, 80)} for ${query.slice(0, 40)}`,
      signedIn,
    })),
  fc
    .tuple(
      fc.oneof(hostileDocument, fc.constant(SMALL_QUERY), fc.constant('mutation { signOut }')),
      fc.boolean(),
      fc.constantFrom(
        '',
        '&variables=%7B',
        '&variables=%5B%5D',
        '&operationName=X',
        '&extensions=1',
      ),
    )
    .map(([query, preflight, extra]) => ({
      method: 'GET' as const,
      search: `?query=${percentEncoded(query.slice(0, 6_000))}${extra}`,
      headers: preflight ? PREFLIGHT : NO_HEADERS,
      what: `GET ${query.slice(0, 60)}${extra}${preflight ? ' with preflight header' : ''}`,
      signedIn: false,
    })),
  fc.constantFrom('PUT', 'DELETE', 'OPTIONS').map((method) => ({
    method: method,
    headers: JSON_TYPE,
    body: method === 'OPTIONS' ? undefined : json({ query: SMALL_QUERY }),
    what: `method ${method}`,
    signedIn: false,
  })),
  fc.tuple(hostileDocument, fc.boolean()).map(([query, signedIn]) => ({
    method: 'POST' as const,
    headers: JSON_TYPE,
    body: json({ query }),
    what: `document ${query.slice(0, 80)}`,
    signedIn,
  })),
  authorization.map((value) => ({
    method: 'POST' as const,
    headers: { ...JSON_TYPE, authorization: value },
    body: json({ query: '{ viewer { __typename } }' }),
    what: `authorization ${value.slice(0, 40)}`,
    signedIn: false,
  })),
  fc
    .tuple(
      fc.constantFrom(BODY_LIMIT - 100, BODY_LIMIT + 1, BODY_LIMIT * 2, 1_100_000),
      hostileString,
    )
    .map(([size, filler]) => ({
      method: 'POST' as const,
      headers: JSON_TYPE,
      body: json({
        query: 'query ($s: String) { companies(search: $s) { id } }',
        variables: {
          s: (filler.length === 0 ? 'x' : filler)
            .repeat(Math.ceil(size / Math.max(1, filler.length)))
            .slice(0, size),
        },
      }),
      what: `a body of about ${size} bytes`,
      signedIn: false,
    })),
);
