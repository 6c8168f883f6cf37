import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLInputType,
} from 'graphql';
import { PROJECT_ROOT } from '../../common/project-root';
import { ROLLBACK_REASON_MAX, TEST_TEXT_MAX } from '../../compliance/rule-sets/rule-sets.service';
import { PASSWORD_MAX_LENGTH } from '../../identity/passwords/password-hasher.service';
import { ARGUMENT_LIMITS, argumentLimitError, ID_MAX_LENGTH, limitOf } from './argument-limits';

const schema = buildSchema(readFileSync(join(PROJECT_ROOT, 'schema.gql'), 'utf8'));

/** Every argument and input field of the schema: coordinate and type. */
function inputsOfSchema(): Array<[string, GraphQLInputType]> {
  const inputs: Array<[string, GraphQLInputType]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type))
      for (const field of Object.values(type.getFields()))
        for (const arg of field.args)
          inputs.push([`${type.name}.${field.name}(${arg.name}:)`, arg.type]);
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields()))
        inputs.push([`${type.name}.${field.name}`, field.type]);
  }
  return inputs;
}

const isList = (type: GraphQLInputType) => isListType(isNonNullType(type) ? type.ofType : type);

describe('argument limits', () => {
  it('caps every string and list argument and input field of the schema, and lists nothing else', () => {
    const inputs = inputsOfSchema();
    const uncapped = inputs
      .filter(([coordinate, type]) => {
        const named = getNamedType(type);
        const limit = limitOf(coordinate, type);
        if (isList(type)) return limit?.maxItems === undefined;
        if (named.name === 'String' || named.name === 'ID') return limit?.maxLength === undefined;
        return false;
      })
      .map(([coordinate]) => coordinate);
    expect(uncapped).toEqual([]);
    const lists = inputs.filter(([, type]) => isList(type));
    for (const [coordinate, type] of lists)
      if (!isEnumType(getNamedType(type)) && !isInputObjectType(getNamedType(type)))
        expect({ coordinate, maxLength: limitOf(coordinate, type)?.maxLength }).toEqual({
          coordinate,
          maxLength: expect.any(Number),
        });
    const known = new Set(inputs.map(([coordinate]) => coordinate));
    expect(Object.keys(ARGUMENT_LIMITS).filter((c) => !known.has(c))).toEqual([]);
  });

  const check = (query: string, variables?: Record<string, unknown>) =>
    argumentLimitError(schema, parse(query), variables);

  it('refuses an id, a cursor or a code over its cap, as a literal or a variable, naming it', () => {
    const long = 'a'.repeat(ID_MAX_LENGTH + 1);
    const error = check('query ($id: ID!) { thread(id: $id) { id } }', { id: long });
    expect(error?.message).toBe(`id must be at most ${ID_MAX_LENGTH} characters.`);
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['id'],
      limit: ID_MAX_LENGTH,
    });
    expect(check(`{ thread(id: "${long}") { id } }`)?.extensions.code).toBe('BAD_USER_INPUT');
    expect(check(`{ thread(id: "${'a'.repeat(ID_MAX_LENGTH)}") { id } }`)).toBeUndefined();
    expect(
      check('{ home(first: 1, after: $a) { edges { cursor } } }', { a: 'x'.repeat(1025) })?.message,
    ).toBe('after must be at most 1024 characters.');
    expect(
      check('mutation { signUp(email: "a@b.c", code: "1", password: "p", jurisdiction: "DE") }'),
    ).toBeUndefined();
  });

  it('reaches into input objects, lists and nested fields', () => {
    const error = check('mutation ($i: RuleInput!) { addRule(ruleSetId: "x", input: $i) { id } }', {
      i: { matcher: { kind: 'KEYWORDS', terms: ['ok', 'x'.repeat(201)] } },
    });
    expect(error?.message).toBe('input.matcher.terms must be at most 200 characters.');
    const many = check('mutation ($o: [ID!]!) { votePoll(pollId: "p", optionIds: $o) { id } }', {
      o: Array.from({ length: 11 }, () => 'x'),
    });
    expect(many?.message).toBe('optionIds must hold at most 10 items.');
    expect(many?.extensions.limit).toBe(10);
  });

  it('counts characters, not UTF-16 units, and leaves service-checked caps to the service', () => {
    expect(check(`{ board(slug: "${'😀'.repeat(64)}") { id } }`)).toBeUndefined();
    expect(check(`{ board(slug: "${'😀'.repeat(65)}") { id } }`)).toBeDefined();
    expect(check(`{ search(first: 1, query: "${'x'.repeat(300)}") { __typename } }`)).toBe(
      undefined,
    );
    expect(check(`{ node(id: "${'x'.repeat(10_000)}") { id } }`)).toBeUndefined();
    expect(
      check('mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }', {
        ids: ['a', 'x'.repeat(ID_MAX_LENGTH + 1)],
      })?.message,
    ).toBe(`ids must be at most ${ID_MAX_LENGTH} characters.`);
  });

  it('repeats the limits of the services it does not import with their values', () => {
    expect([
      ARGUMENT_LIMITS['Query.testRules(text:)'].maxLength,
      ARGUMENT_LIMITS['Mutation.rollbackRuleSet(reason:)'].maxLength,
      ARGUMENT_LIMITS['Mutation.signUp(password:)'].maxLength,
      ARGUMENT_LIMITS['Mutation.signIn(password:)'].maxLength,
    ]).toEqual([TEST_TEXT_MAX, ROLLBACK_REASON_MAX, PASSWORD_MAX_LENGTH, PASSWORD_MAX_LENGTH]);
  });
});
