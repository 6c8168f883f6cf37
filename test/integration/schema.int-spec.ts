import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  Kind,
  parse,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isUnionType,
  isInterfaceType,
  isIntrospectionType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { PROJECT_ROOT } from '../../src/common/project-root';
import { buildSchemaText } from '../../src/infrastructure/graphql/print-schema';
import { SCHEMA_FILE } from '../../src/infrastructure/graphql/graphql.module';

/** The public contract (binding), as committed, and where the shared original lives. */
const CONTRACT_COPY = join(PROJECT_ROOT, 'test', 'fixtures', 'contract.graphql');
const SHARED_CONTRACT = join(PROJECT_ROOT, '..', 'shared', 'api', 'contract.graphql');

/** The parts of contract-additions.graphql that have landed (extensions of the contract). */
const LANDED_ADDITIONS = join(
  PROJECT_ROOT,
  'test',
  'fixtures',
  'contract-additions-landed.graphql',
);
const SHARED_ADDITIONS = join(PROJECT_ROOT, '..', 'shared', 'api', 'contract-additions.graphql');

/** `Type.field` of every field the landed additions define or add. */
function landedFields(additionsSdl: string): string[] {
  return parse(additionsSdl).definitions.flatMap((node) =>
    node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.OBJECT_TYPE_EXTENSION
      ? (node.fields ?? []).map((field) => `${node.name.value}.${field.name.value}`)
      : [],
  );
}

/**
 * Fields whose type contract-additions.graphql changes, with the new type: it applies once
 * the additions declaring that type have landed (`Notification.kind` becomes the
 * `NotificationKind` enum; the values on the wire stay the same).
 */
const RETYPED: Readonly<Record<string, string>> = { 'Notification.kind': 'NotificationKind!' };

/** The types the landed additions declare. */
function landedTypes(): Set<string> {
  return new Set(
    parse(readFileSync(LANDED_ADDITIONS, 'utf8')).definitions.flatMap((node) =>
      'name' in node && node.name !== undefined && !node.kind.endsWith('Extension')
        ? [node.name.value]
        : [],
    ),
  );
}

/** Every name in the public contract that the schema already has must keep its shape. */
function contractProblems(contractSdl: string, schemaSdl: string): string[] {
  const contract = buildSchema(contractSdl);
  const schema = buildSchema(schemaSdl);
  const problems: string[] = [];
  const compare = (name: string, want: GraphQLNamedType, have: GraphQLNamedType): void => {
    if (want.constructor !== have.constructor) {
      problems.push(
        `${name} is a ${have.constructor.name}, the contract says ${want.constructor.name}`,
      );
      return;
    }
    if (isEnumType(want) && isEnumType(have)) {
      const values = new Set(have.getValues().map((v) => v.name));
      for (const v of want.getValues())
        if (!values.has(v.name)) problems.push(`${name}.${v.name} is missing`);
    }
    if (
      (isObjectType(want) && isObjectType(have)) ||
      (isInputObjectType(want) && isInputObjectType(have))
    ) {
      const fields = have.getFields();
      for (const [fieldName, field] of Object.entries(want.getFields())) {
        const actual = fields[fieldName];
        if (actual === undefined) {
          // Root operation fields, and fields whose type belongs to a feature not built yet,
          // arrive issue by issue; everything else must be complete.
          const arrivesLater =
            ['Query', 'Mutation', 'Subscription'].includes(name) ||
            schema.getType(String(field.type).replace(/[[\]!]/g, '')) === undefined;
          if (!arrivesLater) problems.push(`${name}.${fieldName} is missing`);
          continue;
        }
        const retyped = RETYPED[`${name}.${fieldName}`];
        const wanted =
          retyped !== undefined && landedTypes().has(retyped.replace(/[[\]!]/g, ''))
            ? retyped
            : String(field.type);
        if (String(actual.type) !== wanted) {
          problems.push(
            `${name}.${fieldName} is ${String(actual.type)}, the contract says ${wanted}`,
          );
        }
        if ('args' in field && 'args' in actual) {
          for (const arg of field.args) {
            const a = actual.args.find((x) => x.name === arg.name);
            if (a === undefined) problems.push(`${name}.${fieldName}(${arg.name}) is missing`);
            else if (String(a.type) !== String(arg.type))
              problems.push(
                `${name}.${fieldName}(${arg.name}) is ${String(a.type)}, the contract says ${String(arg.type)}`,
              );
          }
        }
      }
    }
    if (isUnionType(want) && isUnionType(have)) {
      const members = new Set(have.getTypes().map((t) => t.name));
      for (const t of want.getTypes())
        if (!members.has(t.name)) problems.push(`${name} lacks member ${t.name}`);
    }
  };
  for (const [name, want] of Object.entries(contract.getTypeMap())) {
    if (name.startsWith('__')) continue;
    const have = schema.getType(name);
    if (have !== undefined && have !== null) compare(name, want, have);
  }
  return problems;
}

/** Whether a description says something (not missing, not blank). */
const described = (description: string | null | undefined): boolean =>
  description != null && description.trim() !== '';

/**
 * Every element of the schema a client sees without a description: types (objects,
 * interfaces, unions, enums, input objects, custom scalars), their fields, the fields'
 * arguments, input fields and enum values; GraphQL's own types and scalars aside.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!described(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('GraphQL schema', () => {
  let generated: string;

  beforeAll(async () => {
    generated = await buildSchemaText();
  });

  it('matches the committed schema.gql (run `npm run schema:generate` after a schema change)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('keeps every contract name it implements with the contract shape', () => {
    const contract = readFileSync(CONTRACT_COPY, 'utf8');
    expect(contractProblems(contract, generated)).toEqual([]);
  });

  it('checks against the current contract (the copy equals ../shared/api/contract.graphql)', () => {
    // The shared contract sits beside the project in a working checkout; a clone elsewhere
    // (CI) has only the committed copy, which this test keeps equal whenever both exist.
    if (!existsSync(SHARED_CONTRACT)) return;
    expect(readFileSync(CONTRACT_COPY, 'utf8')).toBe(readFileSync(SHARED_CONTRACT, 'utf8'));
  });

  it('implements the landed additions with their shape', () => {
    const additions = readFileSync(LANDED_ADDITIONS, 'utf8');
    const sdl = `${readFileSync(CONTRACT_COPY, 'utf8')}\n${additions}`;
    expect(contractProblems(sdl, generated)).toEqual([]);
    const schema = buildSchema(generated);
    const missing = landedFields(additions).filter((name) => {
      const [type, field] = name.split('.');
      const have = schema.getType(type);
      return !isObjectType(have) || have.getFields()[field] === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('copies the landed additions from the current contract-additions.graphql', () => {
    if (!existsSync(SHARED_ADDITIONS)) return;
    const shared = readFileSync(SHARED_ADDITIONS, 'utf8');
    const lines = readFileSync(LANDED_ADDITIONS, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .filter((line) => !/^(extend type \w+ \{|\})$/.test(line.trim()));
    expect(lines.filter((line) => !shared.includes(line.trim()))).toEqual([]);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(buildSchema(generated))).toEqual([]);
  });

  it('lists each undescribed element (self-check)', () => {
    const sdl = `
      "Reads." type Query { "A." a(x: Int, "Y." y: Int): Thing }
      type Thing { id: ID! "Kind." kind: Kind }
      enum Kind { "A." A B }
      "Input." input In { "X." x: Int y: Int }
      union Either = Thing
      "An id." scalar Code
      interface Named { " " name: String }
      "Uses." type Uses implements Named { "Name." name: String "In." f(i: In, c: Code, e: Either): Int }
    `;
    expect(undescribed(buildSchema(sdl))).toEqual([
      'Query.a(x)',
      'Thing',
      'Thing.id',
      'Kind',
      'Kind.B',
      'In.y',
      'Either',
      'Named',
      'Named.name',
      'Uses.f(i)',
      'Uses.f(c)',
      'Uses.f(e)',
    ]);
  });

  it('has the DateTime scalar of the contract', () => {
    expect(generated).toMatch(/^scalar DateTime/m);
  });

  it('detects a contract shape the schema breaks (self-check)', () => {
    const contract =
      'type Query { a: Int! } type Thing { id: ID! name: String! later: Later } type Later { x: Int } enum Kind { A B }';
    const schema = 'type Query { a: Int } type Thing { id: ID! } enum Kind { A }';
    expect(contractProblems(contract, schema)).toEqual([
      'Query.a is Int, the contract says Int!',
      'Thing.name is missing',
      'Kind.B is missing',
    ]);
  });
});
