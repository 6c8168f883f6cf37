import type { BaseContext } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../../common/errors';
import type { RequestHooks, RequestHooksFactory } from './combined.plugin';
import { COMMENT_BODY_MAX, THREAD_BODY_MAX, TITLE_MAX } from '../../discussions/post-text';
import {
  POLL_OPTION_MAX,
  POLL_OPTIONS_MAX,
  POLL_QUESTION_MAX,
} from '../../discussions/polls/poll-input';
import { QUERY_MAX_CHARS } from '../../discussions/search/search-text';

/**
 * The size cap of one argument or input field, by schema coordinate (`Query.search(query:)`,
 * `CreateThreadInput.title`). `maxLength` bounds a string, or each string of a list, in
 * characters (code points); `maxItems` bounds a list. `checkedBy: 'service'` marks a cap the
 * feature's own validation enforces (with its own message, before any query runs): it is
 * listed here so the table is the one place that shows every cap, and left to the service,
 * whose limit is part of the contract (post lengths, passwords, emails).
 */
export interface ArgumentLimit {
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly checkedBy?: 'service';
}

// Limits of services are imported from their pure modules; the services below (rule sets,
// password hashing) are Nest providers, so their numbers are repeated rather than imported.
/** PASSWORD_MAX_LENGTH of the password hasher. */
const PASSWORD_MAX_LENGTH = 128;

/** Every ID argument and input field not in the table: UUIDs are 36 characters. */
export const ID_MAX_LENGTH = 64;

/** A cap the feature's own validation enforces (the contract limit). */
const service = (maxLength: number, maxItems?: number): ArgumentLimit => ({
  maxLength,
  ...(maxItems === undefined ? {} : { maxItems }),
  checkedBy: 'service',
});
/** A list whose count the feature checks (its ids are held to ID_MAX_LENGTH here). */
const serviceCount = (maxItems: number): ArgumentLimit => ({ maxItems, checkedBy: 'service' });

/** `after` of every connection: sealed cursors are a few hundred characters. */
const CURSOR: ArgumentLimit = { maxLength: 1024 };
/** Jurisdiction codes: `DE`, `US-CA`, `EU`, at most 8 letters for a group. */
const JURISDICTION: ArgumentLimit = { maxLength: 16 };
/** Email addresses: RFC 5321's 254, checked when the address is normalised. */
const EMAIL = service(254);
/** Emailed codes (6+ digits). */
const CODE: ArgumentLimit = { maxLength: 64 };
/** Passwords that are set: 8 to 128 characters, checked by the password hasher. */
const NEW_PASSWORD = service(PASSWORD_MAX_LENGTH);
/** Passwords that are only compared: none longer than the longest that can be set. */
const PASSWORD: ArgumentLimit = { maxLength: PASSWORD_MAX_LENGTH };
const SLUG: ArgumentLimit = { maxLength: 64 };
/** A company email domain (a DNS name is at most 253 characters). */
const DOMAIN: ArgumentLimit = { maxLength: 253 };
const NAME = service(120);
const TITLE = service(TITLE_MAX);
const THREAD_BODY = service(THREAD_BODY_MAX);
const COMMENT_BODY = service(COMMENT_BODY_MAX);
const CLIENT_MUTATION_ID = service(200);
/** Rule terms and exclusions: each a word or phrase, up to 10,000 of them. */
const TERMS: ArgumentLimit = { maxLength: 200, maxItems: 10_000 };
/** Lists of enum values (board kinds, post fields): a handful of distinct values. */
const ENUM_LIST: ArgumentLimit = { maxItems: 10 };

/**
 * Every String, list and non-default ID argument and input field of the schema (a unit test
 * holds the table to schema.gql). Checked before any resolver runs, over HTTP and graphql-ws,
 * so no oversized value reaches SQL, a regular expression or a hash.
 */
export const ARGUMENT_LIMITS: Readonly<Record<string, ArgumentLimit>> = {
  'Board.threads(after:)': CURSOR,
  'Thread.comments(after:)': CURSOR,
  'Viewer.comments(after:)': CURSOR,
  'Viewer.threads(after:)': CURSOR,
  'Query.auditLog(after:)': CURSOR,
  'Query.bookmarks(after:)': CURSOR,
  'Query.home(after:)': CURSOR,
  'Query.reviewQueue(after:)': CURSOR,
  'Query.search(after:)': CURSOR,
  'Query.auditLog(action:)': { maxLength: 100 },
  'Query.auditLog(actorHandle:)': { maxLength: 100 },
  'Query.board(slug:)': SLUG,
  'Query.companies(search:)': service(200),
  'Query.search(boardSlug:)': SLUG,
  'Query.search(query:)': service(QUERY_MAX_CHARS),
  'Query.testRules(text:)': service(20_000) /* TEST_TEXT_MAX */,
  'ReviewQueueFilter.jurisdiction': JURISDICTION,
  // The queue search uses its first 100 characters, whatever the length: never an error.
  'ReviewQueueFilter.search': service(100),
  // Relay's node answers null for an id that names nothing, however long (over 64: no query).
  'Query.node(id:)': service(ID_MAX_LENGTH),

  'Mutation.addCompanyDomain(domain:)': DOMAIN,
  'Mutation.appeal(statement:)': service(2_000),
  'Mutation.changePassword(currentPassword:)': PASSWORD,
  'Mutation.changePassword(newPassword:)': NEW_PASSWORD,
  'Mutation.createBoard(jurisdiction:)': JURISDICTION,
  'Mutation.createBoard(name:)': NAME,
  'Mutation.createBoard(slug:)': service(64),
  'Mutation.createCompany(domains:)': { ...DOMAIN, maxItems: 50 },
  'Mutation.createCompany(industry:)': service(80),
  'Mutation.createCompany(jurisdiction:)': JURISDICTION,
  'Mutation.createCompany(name:)': NAME,
  'Mutation.createCompany(sizeBand:)': service(32),
  'Mutation.createCompany(slug:)': service(64),
  'Mutation.createRuleSetDraft(jurisdiction:)': JURISDICTION,
  'Mutation.decideReviewItems(inputs:)': serviceCount(50),
  'Mutation.deleteAccount(password:)': PASSWORD,
  'Mutation.editComment(body:)': COMMENT_BODY,
  'Mutation.editThread(body:)': THREAD_BODY,
  'Mutation.editThread(title:)': TITLE,
  'Mutation.grantRole(email:)': EMAIL,
  'Mutation.markNotificationsRead(ids:)': serviceCount(500),
  'Mutation.report(details:)': service(1_000),
  'Mutation.requestEmailCode(email:)': EMAIL,
  'Mutation.resetPassword(code:)': CODE,
  'Mutation.resetPassword(email:)': EMAIL,
  'Mutation.resetPassword(newPassword:)': NEW_PASSWORD,
  'Mutation.revokeRole(email:)': EMAIL,
  'Mutation.rollbackRuleSet(jurisdiction:)': JURISDICTION,
  'Mutation.rollbackRuleSet(reason:)': service(1_000) /* ROLLBACK_REASON_MAX */,
  'Mutation.scopeModerator(email:)': EMAIL,
  'Mutation.setJurisdiction(code:)': JURISDICTION,
  'Mutation.signIn(email:)': EMAIL,
  'Mutation.signIn(password:)': PASSWORD,
  'Mutation.signUp(code:)': CODE,
  'Mutation.signUp(email:)': EMAIL,
  'Mutation.signUp(jurisdiction:)': JURISDICTION,
  'Mutation.signUp(password:)': NEW_PASSWORD,
  'Mutation.verifyEmployer(code:)': CODE,
  'Mutation.verifyEmployer(email:)': EMAIL,
  'Mutation.votePoll(optionIds:)': { maxItems: POLL_OPTIONS_MAX },

  'CreateCommentInput.body': COMMENT_BODY,
  'CreateCommentInput.clientMutationId': CLIENT_MUTATION_ID,
  'CreateThreadInput.body': THREAD_BODY,
  'CreateThreadInput.clientMutationId': CLIENT_MUTATION_ID,
  'CreateThreadInput.title': TITLE,
  'DecideReviewItemInput.note': service(2_000),
  'DecideReviewItemInput.reasonCode': service(64),
  'MatcherInput.exclude': TERMS,
  'MatcherInput.pattern': { maxLength: 1_000 },
  'MatcherInput.piiKinds': { maxLength: 32, maxItems: 20 },
  'MatcherInput.terms': TERMS,
  'PollInput.options': service(POLL_OPTION_MAX, POLL_OPTIONS_MAX),
  'PollInput.question': service(POLL_QUESTION_MAX),
  'RuleInput.boardKinds': ENUM_LIST,
  'RuleInput.explanation': service(2_000),
  'RuleInput.fields': ENUM_LIST,
  'RuleInput.legalBasis': service(500),
  'RuleInput.name': NAME,
};

/** The cap of a coordinate: its entry, else the ID default for IDs, else none. */
export function limitOf(coordinate: string, type: GraphQLInputType): ArgumentLimit | undefined {
  const listed = ARGUMENT_LIMITS[coordinate];
  return getNamedType(type).name === 'ID' ? { maxLength: ID_MAX_LENGTH, ...listed } : listed;
}

/** Characters (code points) of `text`; counts only when UTF-16 units could exceed `max`. */
function exceeds(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A surrogate pair is one character; a lone surrogate counts as one too.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    if (++count > max) return true;
  }
  return false;
}

function refusal(name: string, message: string, limit: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.BAD_USER_INPUT,
      fields: [name],
      limit,
      http: { status: 400 },
    },
  });
}

/**
 * The first cap `value` (of `type`, at `coordinate`, named `name` for the client) breaks, as
 * BAD_USER_INPUT; undefined when it keeps them all. Values of the wrong type are left to
 * GraphQL's own coercion, which refuses them.
 */
function checkValue(
  value: unknown,
  type: GraphQLInputType,
  coordinate: string,
  name: string,
): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  const inner = isNonNullType(type) ? type.ofType : type;
  const listed = ARGUMENT_LIMITS[coordinate];
  const enforced = listed?.checkedBy === 'service' ? undefined : listed;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    if (enforced?.maxItems !== undefined && items.length > enforced.maxItems)
      return refusal(
        name,
        `${name} must hold at most ${enforced.maxItems} items.`,
        enforced.maxItems,
      );
    for (const item of items) {
      const error = checkValue(item, inner.ofType, coordinate, name);
      if (error !== undefined) return error;
    }
    return undefined;
  }
  if (typeof value === 'string') {
    // An id without a length of its own is held to ID_MAX_LENGTH (also in a list a service
    // counts); a length a service checks is left to it.
    const maxLength =
      listed?.maxLength === undefined
        ? getNamedType(inner).name === 'ID'
          ? ID_MAX_LENGTH
          : undefined
        : enforced?.maxLength;
    if (maxLength !== undefined && exceeds(value, maxLength))
      return refusal(name, `${name} must be at most ${maxLength} characters.`, maxLength);
    return undefined;
  }
  if (isInputObjectType(inner) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = inner.getFields();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (field === undefined) continue;
      const error = checkValue(item, field.type, `${inner.name}.${key}`, `${name}.${key}`);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

/** One argument of a document: where it stands in the schema and the value node it was given. */
interface ArgumentSite {
  readonly coordinate: string;
  readonly name: string;
  readonly type: GraphQLInputType;
  readonly value: ValueNode;
}

/**
 * The arguments of each document, in document order, found once per document and schema
 * (Apollo hands the same parsed document to every request of the same query text), so a
 * request only looks at its values.
 */
const sitesBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly ArgumentSite[]>>();

function argumentSites(schema: GraphQLSchema, document: DocumentNode): readonly ArgumentSite[] {
  let byDocument = sitesBySchema.get(schema);
  if (byDocument === undefined) {
    byDocument = new WeakMap();
    sitesBySchema.set(schema, byDocument);
  }
  const known = byDocument.get(document);
  if (known !== undefined) return known;
  const typeInfo = new TypeInfo(schema);
  const sites: ArgumentSite[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (argument == null || field == null || parent == null) return;
        sites.push({
          coordinate: `${parent.name}.${field.name}(${argument.name}:)`,
          name: argument.name,
          type: argument.type,
          value: node.value,
        });
      },
    }),
  );
  byDocument.set(document, sites);
  return sites;
}

/**
 * Checks every argument of `document` (literals and variables) against ARGUMENT_LIMITS:
 * the first value over its cap, as BAD_USER_INPUT naming the argument and its limit.
 */
export function argumentLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): GraphQLError | undefined {
  for (const site of argumentSites(schema, document)) {
    // A variable's raw value; a literal's value (with variables inside it) as GraphQL reads it.
    const value =
      site.value.kind === Kind.VARIABLE
        ? variables?.[site.value.name.value]
        : valueFromAST(site.value, site.type, variables);
    const error = checkValue(value, site.type, site.coordinate, site.name);
    if (error !== undefined) return error;
  }
  return undefined;
}

const ARGUMENT_CHECKS: RequestHooks<BaseContext> = {
  didResolveOperation({ request, document, schema }) {
    const error = argumentLimitError(schema, document, request.variables);
    if (error !== undefined) throw error;
  },
};

/** Applies ARGUMENT_LIMITS to every HTTP operation, before any resolver runs. */
export const argumentLimitsChecks: RequestHooksFactory<BaseContext> = () => ARGUMENT_CHECKS;
