import { getDataSourceToken } from '@nestjs/typeorm';
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import type { GraphqlResponse, TestApp } from '../../utils/test-app';
import { tableName } from '../../utils/store-dump';

/**
 * Helpers of the deanonymisation suite: capture what the server logs, record every answer it
 * gives, build "select everything" queries from the schema, and read from both stores every
 * value that identifies a person (or links content to one).
 */

// --- answers ------------------------------------------------------------------------------

export interface RecordedAnswer {
  /** The bearer token the request carried, if any. */
  token?: string;
  query: string;
  response: GraphqlResponse;
  /** The answer as the client received it (data and errors), as JSON. */
  text: string;
}

/**
 * Records every answer `app.gql` gives from now on (the helpers of test/utils all go through
 * it), and sends each request from a client address of its own (X-Forwarded-For; the app
 * must trust loopback proxies) so the logs can be searched for those addresses.
 */
export function recordAnswers(
  app: TestApp,
  addressOf: (token?: string) => string,
): RecordedAnswer[] {
  const answers: RecordedAnswer[] = [];
  const original = app.gql.bind(app);
  app.gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const response = await original<T>(query, variables, {
      'x-forwarded-for': addressOf(token),
      ...headers,
    });
    answers.push({
      token,
      query,
      response: response as GraphqlResponse,
      text: JSON.stringify({ data: response.data, errors: response.errors }),
    });
    return response;
  };
  return answers;
}

// --- select everything --------------------------------------------------------------------

/** Values for the required arguments of nested fields (connections take `first`). */
const NESTED_ARGUMENTS: Readonly<Record<string, string>> = { first: '50' };

function argumentsOf(field: GraphQLField<unknown, unknown>): string | null {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  if (required.some((a) => NESTED_ARGUMENTS[a.name] === undefined)) return null;
  return required.length === 0
    ? ''
    : `(${required.map((a) => `${a.name}: ${NESTED_ARGUMENTS[a.name]}`).join(', ')})`;
}

/**
 * A selection set of every field of `type` reachable without leaving the schema's public
 * shape: all leaves, every nested object and union (each member), connections with
 * `first: 50`; a type already on the path is not entered again (no cycles), and at most
 * `depth` levels. New fields are selected as soon as they exist.
 */
export function selectAll(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  depth = 8,
  path: readonly string[] = [],
): string {
  if (isUnionType(type)) {
    const members = type
      .getTypes()
      .map((member) => `... on ${member.name} ${selectAll(schema, member, depth, path)}`);
    return `{ __typename ${members.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field);
    if (args === null) continue;
    const target = getNamedType(field.type);
    if (isLeafType(target)) {
      parts.push(`${field.name}${args}`);
      continue;
    }
    if (depth <= 0 || path.includes(target.name) || target.name === type.name) continue;
    const sub = selectAll(schema, target, depth - 1, [...path, type.name]);
    if (sub !== '') parts.push(`${field.name}${args} ${sub}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** `selectAll` for the return type of a root field. */
export function selectRoot(
  schema: GraphQLSchema,
  root: 'Query' | 'Subscription',
  field: string,
  depth = 8,
): string {
  const type =
    root === 'Query' ? schema.getQueryType() : (schema.getSubscriptionType() ?? undefined);
  const target = type?.getFields()[field];
  if (target === undefined) throw new Error(`no root field ${root}.${field}`);
  return selectAll(schema, getNamedType(target.type), depth);
}

// --- what identifies people ---------------------------------------------------------------

export interface PersonSecrets {
  /** label → values; a label names where the values come from (for failure messages). */
  byLabel: Map<string, Set<string>>;
  /** Every value, lower-cased, with its label. */
  all: Array<{ label: string; value: string }>;
  /** notification id → account id (a notification's id may be shown to its owner only). */
  notificationOwner: Map<string, string>;
}

/** Columns of each store whose values identify a person, a session or a link to one. */
const IDENTITY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  accounts: ['id', 'email_index', 'password_hash', 'seal_id'],
  staff_roles: ['holder'],
  sessions: ['token_hash', 'account_id'],
  email_codes: ['email_index', 'code_hash'],
  memberships: ['id', 'account_id', 'work_email_index'],
  sanctions: ['id', 'account_id'],
  notifications: ['id', 'account_id', 'payload'],
  reporter_stats: ['account_id'],
  staff_scopes: ['holder'],
};
const CONTENT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  threads: ['author_token', 'sealed_ref', 'idempotency_key'],
  comments: ['author_token', 'sealed_ref', 'idempotency_key'],
  thread_handles: ['author_token'],
  own_post_slots: ['slot_token'],
  votes: ['voter_token'],
  poll_votes: ['voter_token'],
  reports: ['reporter_token', 'reporter_ref'],
  review_items: ['claimed_by', 'decided_by', 'sanction_id'],
  rule_set_versions: ['last_editor'],
};

async function readColumns(
  dataSource: DataSource,
  columns: Readonly<Record<string, readonly string[]>>,
  store: string,
  into: PersonSecrets,
): Promise<void> {
  for (const [table, names] of Object.entries(columns)) {
    const path = dataSource.getMetadata(table).tablePath;
    const rows = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT ${names.map((n) => dataSource.driver.escape(n)).join(', ')} FROM ${tableName(dataSource, path)}`,
    );
    for (const row of rows)
      for (const name of names) add(into, `${store}.${table}.${name}`, row[name]);
    if (table === 'notifications')
      for (const row of rows) into.notificationOwner.set(String(row.id), String(row.account_id));
  }
}

function add(into: PersonSecrets, label: string, value: unknown): void {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const text = String(value).trim();
  if (text.length < 8) return; // nothing that short is an identifier here
  let set = into.byLabel.get(label);
  if (set === undefined) into.byLabel.set(label, (set = new Set()));
  if (set.has(text)) return;
  set.add(text);
  into.all.push({ label, value: text.toLowerCase() });
}

export interface KnownPerson {
  /** Known to the test from the start: the row is gone once the account is deleted. */
  accountId: string;
  email: string;
  token: string;
  password: string;
  /** Work addresses used to verify an employer. */
  workEmails?: string[];
}

/**
 * Everything that would identify a person, read from both stores after a scenario, plus
 * what only the test knows (addresses, passwords, session tokens) and APP_SECRET.
 */
export async function personSecrets(
  app: TestApp,
  people: readonly KnownPerson[],
): Promise<PersonSecrets> {
  const secrets: PersonSecrets = { byLabel: new Map(), all: [], notificationOwner: new Map() };
  await readColumns(
    app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE)),
    IDENTITY_COLUMNS,
    'identity',
    secrets,
  );
  await readColumns(
    app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE)),
    CONTENT_COLUMNS,
    'content',
    secrets,
  );
  for (const person of people) {
    for (const email of [person.email, ...(person.workEmails ?? [])]) {
      add(secrets, 'email address', email);
      add(secrets, 'email local part', email.split('@')[0]);
    }
    add(secrets, 'account id', person.accountId);
    add(secrets, 'session token', person.token);
    add(secrets, 'password', person.password);
  }
  add(secrets, 'APP_SECRET', app.env.APP_SECRET);
  return secrets;
}

/** The secrets found in `text`, except `allowed` (lower-cased values the reader may see). */
export function leaks(
  text: string,
  secrets: PersonSecrets,
  allowed: ReadonlySet<string> = new Set(),
): string[] {
  const haystack = text.toLowerCase();
  return secrets.all
    .filter(({ value }) => !allowed.has(value) && haystack.includes(value))
    .map(({ label, value }) => `${label}: ${value}`);
}

/** Anything shaped like an email address. */
export const EMAIL_PATTERN = /[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/i;

/** Anything shaped like an IPv4 address, or the IPv6 forms a loopback client arrives as. */
export const IP_PATTERN = /\b(?:\d{1,3}\.){3}\d{1,3}\b|::ffff:|(?<![\w:])::1(?![\w:])/i;
