import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { createTestApp, type TestApp } from '../../utils/test-app';

/**
 * SPEC §2.9: no GraphQL type reachable by a member or moderator exposes another person's
 * account id, email, membership list, session or any field from which they follow.
 *
 * This walks the live schema's type graph from the Query, Mutation and Subscription roots
 * (fields, union members, interface implementations) and fails when a reachable field's name
 * looks like something that identifies a person, unless the field is in ALLOWED below with
 * its reason. Changing the allowlist is a reviewed decision: a new entry needs a reason a
 * reviewer can check. The dynamic side (what the answers actually contain after a realistic
 * scenario) is deanonymisation.e2e-spec.ts.
 */

/** Field names that identify a person, a session or a sealed link to one. */
const FORBIDDEN_FIELD_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/e-?mail/i, 'an email address'],
  [/account/i, 'an account or its id'],
  [/^user(id|name)?$|user_?id/i, 'a user id'],
  [/^(owner|creator|author|reporter|voter|moderator|actor|editor|person)_?id$/i, 'a person id'],
  [/password|pepper|secret/i, 'a credential'],
  [/token/i, 'a session, author, vote or report token'],
  [/session/i, 'a session'],
  [/seal/i, 'a sealed reference or seal id'],
  [/(^|_)ref$|reference/i, 'a sealed reference'],
  [/hash/i, 'a password, token or email hash'],
  [/blind|email_?index|emailIndex/i, 'an email blind index'],
  [/^(ip|ips|ipAddress|clientIp|remoteAddress|userAgent|address)$/i, 'a client address'],
  [/membership/i, 'memberships'],
  [/^(claimedBy|decidedBy|lastEditor|lastEditedBy|staffToken)$/i, 'a staff token'],
  [/sanctionId|sanctionHandle/i, 'a sanction handle'],
  [/identity/i, 'identity data'],
];

/** Reachable object types whose name says they describe a person's identity. */
const FORBIDDEN_TYPE_NAMES = /account|user|sanction(?!kind)|reporter|emailcode|credential/i;

/**
 * Types about the signed-in person themself. They may be reached only through the edges in
 * SELF_EDGES, each of which answers for the caller alone.
 */
const SELF_TYPES = new Set(['Viewer', 'Session', 'Membership']);
const SELF_EDGES = new Set([
  'Query.viewer', // the caller, null for visitors
  'Mutation.setJurisdiction', // the caller's own settings
  'Mutation.signUp', // the new session of the caller
  'Mutation.signIn', // the new session of the caller
  'Session.viewer', // the session's own viewer
  'Viewer.memberships', // the caller's own memberships
  'Mutation.verifyEmployer', // the caller's own new membership
  'Mutation.resetPassword', // the new session of whoever proved the mailbox
  'Mutation.leaveCompany', // the caller, after leaving
]);

/** Reachable fields whose name matches a pattern above, and why each is harmless. */
const ALLOWED: Readonly<Record<string, string>> = {
  'Session.token':
    "The caller's own new session token, returned once by signUp/signIn/resetPassword (SELF_EDGES); nobody else's.",
  'AuditEntry.hash':
    'SHA-256 of the audit chain (previous hash + entry): a tamper seal over staff actions, about no person.',
  'AuditChainHead.hash': 'The head of an audit hash chain, as AuditEntry.hash.',
  'Viewer.memberships':
    "The caller's own memberships; Viewer is reachable only through SELF_EDGES.",
  'Mutation.requestEmailCode':
    'Takes an address (input) and returns Boolean true for every well-formed address.',
  'Mutation.deleteAccount':
    "Deletes the caller's own account (password as input) and returns Boolean.",
  'Mutation.changePassword':
    "Changes the caller's own password (current and new as input) and returns Boolean.",
  'Mutation.resetPassword':
    'Takes an address, a mailed code and a new password (input) and returns the new Session of that mailbox’s own account (SELF_EDGES).',
};

interface Edge {
  from: string;
  field: string;
  to: string;
}

/** Every output type reachable from the roots, and every edge (field → type) between them. */
function walk(schema: GraphQLSchema): { types: Map<string, GraphQLNamedType>; edges: Edge[] } {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const types = new Map<string, GraphQLNamedType>();
  const edges: Edge[] = [];
  const queue: GraphQLNamedType[] = roots.filter((t) => t !== null && t !== undefined);
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (types.has(type.name)) continue;
    types.set(type.name, type);
    const next: GraphQLNamedType[] = [];
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as Array<
        GraphQLField<unknown, unknown>
      >) {
        const target = getNamedType(field.type);
        edges.push({ from: type.name, field: field.name, to: target.name });
        next.push(target);
      }
      if (isInterfaceType(type)) next.push(...schema.getPossibleTypes(type));
    }
    if (isUnionType(type)) {
      for (const member of type.getTypes()) {
        edges.push({ from: type.name, field: `<${member.name}>`, to: member.name });
        next.push(member);
      }
    }
    queue.push(...next);
  }
  return { types, edges };
}

describe('No reachable GraphQL type exposes who someone is (static schema walk)', () => {
  let sut: TestApp;
  let reachable: ReturnType<typeof walk>;

  beforeAll(async () => {
    sut = await createTestApp();
    reachable = walk(sut.app.get(GraphQLSchemaHost).schema);
  });
  afterAll(async () => sut.close());

  it('walks the whole public graph (a sanity check of the walk itself)', () => {
    const names = [...reachable.types.keys()];
    for (const name of ['Thread', 'Comment', 'Author', 'ReviewItem', 'ReviewEvent', 'AuditEntry'])
      expect(names).toContain(name);
    expect(reachable.edges.length).toBeGreaterThan(150);
  });

  it('has no reachable field named like an account id, email, token, session, sealed reference or address, beyond the allowlist', () => {
    const offending: string[] = [];
    for (const { from, field } of reachable.edges) {
      if (field.startsWith('<')) continue;
      const key = `${from}.${field}`;
      for (const [pattern, what] of FORBIDDEN_FIELD_NAMES) {
        if (pattern.test(field) && ALLOWED[key] === undefined) offending.push(`${key} (${what})`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps the allowlist current: every entry names a reachable field that needs it', () => {
    const fields = new Set(reachable.edges.map((e) => `${e.from}.${e.field}`));
    for (const key of Object.keys(ALLOWED)) {
      expect(fields).toContain(key);
      const field = key.split('.')[1];
      expect(FORBIDDEN_FIELD_NAMES.some(([pattern]) => pattern.test(field))).toBe(true);
    }
  });

  it('reaches the self-only types (Viewer, Session, Membership) only through the caller’s own edges', () => {
    const intoSelf = reachable.edges
      .filter((e) => SELF_TYPES.has(e.to))
      .map((e) => `${e.from}.${e.field}`);
    expect(intoSelf.filter((edge) => !SELF_EDGES.has(edge))).toEqual([]);
    expect(new Set(intoSelf)).toEqual(SELF_EDGES);
  });

  it('reaches no type that describes an account, a user, a sanction or a reporter', () => {
    const named = [...reachable.types.values()]
      .filter((t) => isObjectType(t) || isInterfaceType(t) || isUnionType(t))
      .map((t) => t.name)
      .filter((name) => FORBIDDEN_TYPE_NAMES.test(name));
    expect(named).toEqual([]);
  });

  it('gives the self-only types no id (nothing to correlate a person across answers)', () => {
    for (const name of SELF_TYPES) {
      const type = reachable.types.get(name);
      expect(type).toBeDefined();
      if (type !== undefined && isObjectType(type))
        expect(Object.keys(type.getFields()).filter((f) => /^id$|Id$/.test(f))).toEqual([]);
    }
  });

  it('shows an author only as handle, employer label and two booleans', () => {
    const author = reachable.types.get('Author');
    expect(author !== undefined && isObjectType(author)).toBe(true);
    if (author !== undefined && isObjectType(author))
      expect(Object.keys(author.getFields()).sort()).toEqual([
        'employerLabel',
        'handle',
        'isOriginalPoster',
        'isViewer',
      ]);
  });

  it('catches a planted leak (the walk and the patterns can fail)', () => {
    const planted = [
      'Thread.authorAccountId',
      'Comment.sealedRef',
      'Author.email',
      'ReviewItem.reporterToken',
      'Notification.sessionId',
      'ReviewEvent.ipAddress',
      'ReviewItem.claimedBy',
    ];
    for (const key of planted) {
      const field = key.split('.')[1];
      expect(FORBIDDEN_FIELD_NAMES.some(([pattern]) => pattern.test(field))).toBe(true);
    }
  });
});
