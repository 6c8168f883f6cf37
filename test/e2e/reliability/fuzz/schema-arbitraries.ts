import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import {
  boundaryInt,
  hostileDate,
  hostileString,
  longList,
  malformedId,
  mixedString,
  unknownEnum,
  wrongType,
} from './hostile-values';

/** Marks an argument or input field left out of the request. */
export const OMIT: unique symbol = Symbol('omit');

/**
 * Plausible values by argument path: `input.boardId`, `ids[]` (an element of the list `ids`),
 * `input.matcher.terms[]`. Where none is given, the argument's type decides.
 */
export type Plausible = Record<string, fc.Arbitrary<unknown>>;

const plausibleText = fc.oneof(
  fc.lorem({ maxCount: 8 }),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

function plausibleScalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'String':
      return plausibleText;
    case 'ID':
      return fc.uuid();
    case 'Int':
      return fc.integer({ min: -3, max: 120 });
    case 'Float':
      return fc.double({ min: -10, max: 10, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc
        .integer({ min: -400, max: 30 })
        .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
    default:
      return plausibleText;
  }
}

function hostileScalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'ID':
      return fc.oneof(malformedId, fc.integer(), boundaryInt);
    case 'Int':
    case 'Float':
      return fc.oneof(boundaryInt, fc.constantFrom('1', '0x10', '', 'NaN'));
    case 'Boolean':
      return fc.constantFrom('true', 'false', 1, 0, '', 'yes');
    case 'DateTime':
      return hostileDate;
    default:
      return hostileString;
  }
}

/**
 * Values for an input type: mostly plausible (so the call gets past coercion and reaches the
 * resolver's own validation), the rest hostile for the type, of the wrong type, null, or left
 * out. Plausible values come from `plausible` by path, else from the type.
 */
export function inputArbitrary(
  type: GraphQLInputType,
  path: string,
  plausible: Plausible,
): fc.Arbitrary<unknown> {
  const required = isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  const good = plausibleOf(inner, path, plausible);
  const bad = hostileOf(inner, path, plausible);
  return fc.oneof(
    { weight: 12, arbitrary: good },
    { weight: 4, arbitrary: bad },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: required ? 0 : 2, arbitrary: fc.constant(OMIT) },
  );
}

function plausibleOf(
  type: GraphQLInputType,
  path: string,
  plausible: Plausible,
): fc.Arbitrary<unknown> {
  const given = plausible[path];
  if (given !== undefined) return given;
  if (isListType(type)) {
    const element = inputArbitrary(type.ofType, `${path}[]`, plausible);
    return fc.array(element.filter(notOmitted), { maxLength: 4 });
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc
      .tuple(
        ...fields.map((field) => inputArbitrary(field.type, `${path}.${field.name}`, plausible)),
      )
      .map((values) =>
        objectOf(
          fields.map((f) => f.name),
          values,
        ),
      );
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isScalarType(type)) return plausibleScalar(type.name);
  return plausibleText;
}

function hostileOf(
  type: GraphQLInputType,
  path: string,
  plausible: Plausible,
): fc.Arbitrary<unknown> {
  if (isListType(type)) {
    const element = plausibleOf(
      isNonNullType(type.ofType) ? type.ofType.ofType : type.ofType,
      `${path}[]`,
      plausible,
    );
    return fc.oneof(
      longList(element),
      longList(hostileOf(getNamedType(type) as GraphQLInputType, `${path}[]`, plausible)),
      element.map((value) => [[value]]), // nested where a flat list is expected
      element.map((value) => [value, null, value]), // null elements
      element, // a single value where a list is expected (GraphQL coerces it)
    );
  }
  if (isInputObjectType(type)) {
    const whole = plausibleOf(type, path, plausible) as fc.Arbitrary<Record<string, unknown>>;
    return fc.oneof(
      whole.map((value) => ({ ...value, unknownField: 'x' })),
      fc.tuple(whole, fc.nat()).map(([value, i]) => {
        const keys = Object.keys(value);
        if (keys.length === 0) return value;
        const { [keys[i % keys.length]]: _dropped, ...rest } = value;
        return rest;
      }),
      mixedString,
      fc.constant({}),
    );
  }
  if (isEnumType(type)) return unknownEnum;
  if (isScalarType(type)) return hostileScalar(type.name);
  return hostileString;
}

const notOmitted = (value: unknown): boolean => value !== OMIT;

function objectOf(names: string[], values: unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (values[i] !== OMIT) object[name] = values[i];
  });
  return object;
}

/** Arguments for a field: name → value, without the ones left out. */
export function argumentsArbitrary(
  field: GraphQLField<unknown, unknown>,
  plausible: Plausible,
): fc.Arbitrary<Record<string, unknown>> {
  if (field.args.length === 0) return fc.constant({});
  return fc
    .tuple(...field.args.map((arg) => inputArbitrary(arg.type, arg.name, plausible)))
    .map((values) =>
      objectOf(
        field.args.map((a) => a.name),
        values,
      ),
    );
}

/**
 * A selection of every field of the result without required arguments, two levels deep
 * (unions by __typename): the fuzzer reads back what the mutation returns.
 */
export function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (isLeafType(getNamedType(field.type))) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name} ${selectionOf(field.type, depth + 1)}`);
  }
  return parts.length === 0 ? '{ __typename }' : `{ ${parts.join(' ')} }`;
}

/** A value as a GraphQL literal (for the inline mode: the same values, parsed by GraphQL). */
export function literalOf(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const named = getNamedType(type);
  if (Array.isArray(value)) {
    const element = isNonNullType(type) ? type.ofType : type;
    const inner = isListType(element) ? element.ofType : element;
    return `[${value.map((v) => literalOf(v, inner)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, v]) =>
        `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : 'badKey'}: ${literalOf(v, fields[key]?.type ?? named)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  if (typeof value === 'string') {
    if (isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
    return JSON.stringify(value); // JSON escapes are GraphQL string escapes too
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return typeof value === 'boolean' ? String(value) : 'null';
}

/** Where the value came from, short enough for a failure message. */
export function describeValue(value: unknown, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'string' && v.length > 60 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
    );
  } catch {
    text = String(value);
  }
  if (Array.isArray(value) && value.length > 10) text = `[${value.length} items] ${text}`;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
