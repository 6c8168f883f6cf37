import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  suspendMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';
import {
  AUTHORIZATION_MATRIX,
  fieldOfRow,
  HIDDEN_FROM,
  KNOWN_GAPS,
  MATRIX_ROLES,
  type MatrixRole,
  type Outcome,
  renderAuthorizationMatrix,
} from './authorization-matrix';
import { graphqlSubscriptionCount, waitFor } from '../../utils/wait';

/*
 * Runs every row of the committed authorization matrix as each of the six roles, against the
 * real app (HTTP for queries and mutations, graphql-ws for subscriptions), and compares the
 * outcome with the table. The classification rule is in `classify` below and in
 * docs/security.md ("Authorization matrix").
 *
 * Fixtures: company A ("Acme") with an open company board, company B ("Globex"), the public
 * board `general`, a published US rule set (FLAG "flagword", REDACT "redactword", HOLD
 * "holdword"), a DE draft, GB versions to roll back to, threads and comments by a helper
 * author. Every signed-in column holds a current membership (A, or B for `otherMember`), so a
 * difference between columns is the role's doing. Calls with side effects get fresh fixtures
 * per call (`prepare`), made by helper accounts that are not columns of the table, so the
 * order of rows and roles does not matter. Calls that would spend the column's own account
 * (signOut, deleteAccount) run on a second session or a throwaway account with the same role;
 * the "(outside moderator scope)" rows run the moderator column as a moderator scoped to B.
 */

type Data = Record<string, unknown>;
type Answer = Pick<GraphqlResponse<Data>, 'data' | 'errors'>;

interface Prepared {
  variables?: Record<string, unknown>;
  /** Call with this bearer token instead of the role's own (null: none). */
  token?: string | null;
}

interface Probe {
  document: string;
  /** Arguments for one call as `role`; fresh fixtures where the call changes something. */
  prepare?: (role: MatrixRole) => Promise<Prepared> | Prepared;
  /** Whether an answer without errors gave the caller what was asked (default: yes). */
  got?: (data: Data) => boolean;
  /** Subscriptions: causes an event every allowed, not hidden subscriber must receive. */
  trigger?: () => Promise<unknown>;
}

const VOTE_POLL =
  'mutation ($p: ID!, $o: [ID!]!) { votePoll(pollId: $p, optionIds: $o) { id totalVotes viewerChoice } }';

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
/** Codes a resolver answers after authorization let the call through. */
const PAST_AUTH_CODES = new Set(['NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'CONTENT_BLOCKED']);

type Classified = { outcome: Outcome } | { invalid: string };

/**
 * The classification rule:
 * - an error without a `path` (parse, validation, variables: the operation never executed),
 *   or with any code other than the auth codes and PAST_AUTH_CODES (INTERNAL_SERVER_ERROR,
 *   RATE_LIMITED, ...), makes the probe itself invalid: the test fails, whatever the table says;
 * - otherwise `UNAUTHENTICATED` or `FORBIDDEN` when the errors carry that code (mixing both
 *   is invalid), else `allow`.
 */
function classify(answer: Answer): Classified {
  const errors = answer.errors ?? [];
  const codes = new Set<string>();
  for (const error of errors) {
    const raw = error.extensions?.code;
    const code = typeof raw === 'string' ? raw : 'NO_CODE';
    if (error.path === undefined || error.path.length === 0)
      return { invalid: `request error ${code}: ${error.message}` };
    if (!AUTH_CODES.has(code) && !PAST_AUTH_CODES.has(code))
      return { invalid: `unexpected ${code}: ${error.message}` };
    codes.add(code);
  }
  const auth = [...codes].filter((code) => AUTH_CODES.has(code));
  if (auth.length > 1) return { invalid: `both ${auth.join(' and ')}` };
  return { outcome: auth.length === 1 ? (auth[0] as Outcome) : 'allow' };
}

const describeAnswer = (answer: Answer): string =>
  answer.errors === undefined
    ? `data ${JSON.stringify(answer.data).slice(0, 200)}`
    : `errors ${JSON.stringify(
        answer.errors
          .slice(0, 2)
          .map((e) => ({ code: e.extensions?.code, path: e.path, message: e.message })),
      )}`;

/** `null` when the answer matches the table (and visibility), else what is wrong. */
function mismatch(key: string, probe: Probe, role: MatrixRole, answer: Answer): string | null {
  const expected = AUTHORIZATION_MATRIX[key][role];
  const classified = classify(answer);
  if ('invalid' in classified) return `${role}: invalid probe (${classified.invalid})`;
  if (classified.outcome !== expected)
    return `${role}: expected ${expected}, got ${classified.outcome} (${describeAnswer(answer)})`;
  if (expected !== 'allow') return null;
  const errors = answer.errors ?? [];
  const got = errors.length === 0 && (probe.got?.(answer.data ?? {}) ?? true);
  if (HIDDEN_FROM[key]?.includes(role) === true) {
    const hidden =
      errors.length === 0 ? !got : errors.every((e) => e.extensions?.code === 'NOT_FOUND');
    return hidden ? null : `${role}: should be hidden, got ${describeAnswer(answer)}`;
  }
  return got ? null : `${role}: allowed but did not succeed (${describeAnswer(answer)})`;
}

const SIGNED_IN_ROLES = MATRIX_ROLES.filter(
  (role): role is Exclude<MatrixRole, 'visitor'> => role !== 'visitor',
);

describe('Authorization matrix: every operation as every role (issue 9)', () => {
  let env: IdentityTestApp;
  /** The columns of the table (visitor: no token). */
  const as = {} as Record<Exclude<MatrixRole, 'visitor'>, SignedInClient>;
  /** Helpers making fixtures; never a column. */
  let author: SignedInClient;
  let modHelper: SignedInClient;
  let officer2: SignedInClient;
  let roleTarget: SignedInClient;
  let scopeTarget: SignedInClient;
  const fx = {
    acmeId: '',
    globexId: '',
    publicBoardId: '',
    companyBoardId: '',
    companyBoardSlug: '',
    publicThreadId: '',
    companyThreadId: '',
    pollThreadId: '',
    noticeThreadId: '',
    usActiveId: '',
    deDraftId: '',
    deRuleId: '',
  };
  let counter = 0;
  const unique = (prefix: string): string =>
    `${prefix}-${++counter}-${randomUUID().slice(0, 8)}`.toLowerCase();

  const call = (
    document: string,
    variables: Record<string, unknown> | undefined,
    token: string | null,
  ): Promise<Answer> =>
    env.app.gql<Data>(
      document,
      variables,
      token === null ? {} : { authorization: `Bearer ${token}` },
    );
  const tokenOf = (role: MatrixRole): string | null => (role === 'visitor' ? null : as[role].token);
  const clientOf = (role: MatrixRole): SignedInClient => (role === 'visitor' ? author : as[role]);

  // Fixture makers -----------------------------------------------------------------------------

  const rule = (name: string, term: string, action = 'FLAG'): Record<string, unknown> => ({
    name,
    matcher: { kind: 'KEYWORDS', terms: [term] },
    action,
    legalBasis: 'Terms §1',
    explanation: 'Matrix fixture.',
  });
  const newDraft = async (
    officer: SignedInClient,
    jurisdiction: string,
    rules: Array<Record<string, unknown>>,
  ): Promise<{ id: string; ruleIds: string[] }> => {
    const { createRuleSetDraft } = await dataOf(
      officer.gql<{ createRuleSetDraft: { id: string } }>(
        'mutation ($j: String!) { createRuleSetDraft(jurisdiction: $j, copyActive: false) { id } }',
        { j: jurisdiction },
      ),
    );
    const ruleIds: string[] = [];
    for (const input of rules) ruleIds.push(await addRule(officer, createRuleSetDraft.id, input));
    return { id: createRuleSetDraft.id, ruleIds };
  };
  const addRule = async (
    officer: SignedInClient,
    ruleSetId: string,
    input: Record<string, unknown>,
  ): Promise<string> =>
    (
      await dataOf(
        officer.gql<{ addRule: { id: string } }>(
          'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
          { id: ruleSetId, input },
        ),
      )
    ).addRule.id;
  const publish = (officer: SignedInClient, id: string) =>
    dataOf(officer.gql('mutation ($id: ID!) { publishRuleSet(ruleSetId: $id) { id } }', { id }));

  const newThread = async (
    client: SignedInClient,
    boardId = fx.publicBoardId,
    body = 'Matrix fixture.',
  ): Promise<string> =>
    (
      await dataOf(
        client.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!, $body: String!) { createThread(input: { boardId: $b, title: "Fixture", body: $body }) { thread { id } } }',
          { b: boardId, body },
        ),
      )
    ).createThread.thread.id;
  const newComment = async (
    client: SignedInClient,
    threadId = fx.publicThreadId,
    body = 'Matrix fixture comment.',
  ): Promise<string> =>
    (
      await dataOf(
        client.gql<{ createComment: { comment: { id: string } } }>(
          'mutation ($t: ID!, $body: String!) { createComment(input: { threadId: $t, body: $body }) { comment { id } } }',
          { t: threadId, body },
        ),
      )
    ).createComment.comment.id;

  /** A fresh single-choice poll by `client` on the board: its id and its first option's. */
  const newPoll = async (
    client: SignedInClient,
    boardId = fx.publicBoardId,
  ): Promise<{ p: string; o: string[] }> => {
    const { createThread } = await dataOf(
      client.gql<{
        createThread: { thread: { poll: { id: string; options: Array<{ id: string }> } } };
      }>(
        'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Fixture", body: "Poll.", poll: { question: "Which?", options: ["A", "B"] } }) { thread { poll { id options { id } } } } }',
        { b: boardId },
      ),
    );
    return { p: createThread.thread.poll.id, o: [createThread.thread.poll.options[0].id] };
  };

  /**
   * The pending item of `kind` about `contentId`, as the helper moderator sees it. Rule hits
   * reach moderation through an event after the post is stored: wait for the item a little.
   */
  const pendingItem = async (
    contentId: string,
    kind = 'RULE_FLAG',
  ): Promise<{ id: string; version: number }> => {
    return waitFor(`a pending ${kind} item for ${contentId}`, () =>
      findPendingItem(contentId, kind),
    );
  };
  const findPendingItem = async (
    contentId: string,
    kind: string,
  ): Promise<{ id: string; version: number } | undefined> => {
    const { reviewQueue } = await dataOf(
      modHelper.gql<{
        reviewQueue: {
          edges: Array<{ node: { id: string; version: number; content: { id: string } } }>;
        };
      }>(
        `query ($f: ReviewQueueFilter) { reviewQueue(first: 100, order: OLDEST, filter: $f) {
          edges { node { id version content { ... on Thread { id } ... on Comment { id } } } } } }`,
        { f: { kind } },
      ),
    );
    const node = reviewQueue.edges.find((e) => e.node.content.id === contentId)?.node;
    return node === undefined ? undefined : { id: node.id, version: node.version };
  };
  /** A new RULE_FLAG review item (the author's post hits the US FLAG rule). */
  const newReviewItem = async (): Promise<{ id: string; version: number }> =>
    pendingItem(await newThread(author, fx.publicBoardId, 'A flagword post.'));
  const DECIDE =
    'mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { id status } }';
  const DECIDE_MANY =
    'mutation ($inputs: [DecideReviewItemInput!]!) { decideReviewItems(inputs: $inputs) { id status } }';
  /** A post by `client` that `moderator` removed (so that it can be appealed). */
  const removedPostOf = async (
    client: SignedInClient,
    moderator: SignedInClient = modHelper,
  ): Promise<string> => {
    const id = await newThread(client, fx.publicBoardId, 'A flagword post to remove.');
    const item = await pendingItem(id);
    await dataOf(
      moderator.gql(DECIDE, {
        input: { id: item.id, version: item.version, decision: 'REJECT', reasonCode: 'spam' },
      }),
    );
    return id;
  };
  const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
  };
  /** An appeal of a decision the `moderator` column made. */
  const appealOfModeratorDecision = once(async () => {
    const contentId = await removedPostOf(author, as.moderator);
    await dataOf(
      author.gql('mutation ($c: ID!) { appeal(contentId: $c, statement: "Please look again.") }', {
        c: contentId,
      }),
    );
    return pendingItem(contentId, 'APPEAL');
  });
  /** A code for `email`, requested signed out (signUp) or as `client` (verifyEmployer). */
  const emailCode = (email: string, client?: SignedInClient): Promise<string> =>
    env.smtp.captureCode(email, () =>
      (client ?? env.app).gql('mutation ($e: String!) { requestEmailCode(email: $e) }', {
        e: email,
      }),
    );
  const grant = (client: SignedInClient, role: string) =>
    dataOf(
      env.admin.gql('mutation ($e: String!, $r: Role!) { grantRole(email: $e, role: $r) }', {
        e: client.email,
        r: role,
      }),
    );
  /** A new account holding the column's staff role (and MEMBER), verified at company A if asked. */
  const throwawayOf = async (role: MatrixRole, verified: boolean): Promise<SignedInClient> => {
    const throwaway = await signUpMember(env.app, env.smtp);
    const staffRoles: Partial<Record<MatrixRole, string>> = {
      moderator: 'MODERATOR',
      officer: 'COMPLIANCE_OFFICER',
      admin: 'ADMIN',
    };
    const staffRole = staffRoles[role];
    if (staffRole !== undefined) await grant(throwaway, staffRole);
    if (verified)
      await dataOf(verifyEmployer(env.app, env.smtp, throwaway, `${unique('work')}@acme.example`));
    return throwaway;
  };
  /** Distinct jurisdictions per role, for drafts that each call opens. */
  const jurisdictionFor = (codes: readonly string[], role: MatrixRole): string =>
    codes[MATRIX_ROLES.indexOf(role)];

  // The probes: one per row of the table -----------------------------------------------------

  const threadVisible = (d: Data) => d.thread !== null;
  const homeIds = (d: Data) =>
    ((d.home as { edges: Array<{ node: { id: string } }> } | null)?.edges ?? []).map(
      (e) => e.node.id,
    );
  const searchIds = (d: Data) =>
    ((d.search as { edges: Array<{ node: { id: string } }> } | null)?.edges ?? []).map(
      (e) => e.node.id,
    );
  /** The four vote rows of `vote` and of `setVote` (one code path, the same outcomes). */
  const voteProbes = (mutation: string, field: string): Record<string, Probe> => {
    const document = `mutation ($c: ID!) { ${field} }`;
    return {
      [`Mutation.${mutation}`]: {
        document,
        prepare: () => ({ variables: { c: fx.publicThreadId } }),
      },
      [`Mutation.${mutation} (your own post)`]: {
        document,
        prepare: async (role) => ({ variables: { c: await newThread(clientOf(role)) } }),
      },
      [`Mutation.${mutation} (without a verified employer)`]: {
        document,
        // A throwaway account with the column's staff role but no verified employer.
        prepare: async (role) =>
          role === 'visitor'
            ? { variables: { c: fx.publicThreadId } }
            : {
                variables: { c: fx.publicThreadId },
                token: (await throwawayOf(role, false)).token,
              },
      },
      [`Mutation.${mutation} (company board)`]: {
        document,
        prepare: () => ({ variables: { c: fx.companyThreadId } }),
      },
    };
  };

  /** Following or bookmarking a public thread, and a company board's (hidden from company B). */
  const followProbes = (mutation: string, field: string): Record<string, Probe> => {
    const document = `mutation ($id: ID!) { ${field} }`;
    return {
      [`Mutation.${mutation}`]: {
        document,
        prepare: () => ({ variables: { id: fx.publicThreadId } }),
      },
      [`Mutation.${mutation} (company board)`]: {
        document,
        prepare: () => ({ variables: { id: fx.companyThreadId } }),
      },
    };
  };

  const PROBES: Record<string, Probe> = {
    'Query.auditLog': { document: '{ auditLog(first: 5) { edges { node { id action } } } }' },
    'Query.board': {
      document: 'query ($s: String!) { board(slug: $s) { id } }',
      prepare: () => ({ variables: { s: 'general' } }),
      got: (d) => d.board !== null,
    },
    'Query.board (company board)': {
      document:
        'query ($s: String!) { board(slug: $s) { id threads(first: 5) { edges { node { id } } } } }',
      prepare: () => ({ variables: { s: fx.companyBoardSlug } }),
      got: (d) => d.board !== null,
    },
    'Query.boards': { document: '{ boards { id kind } }' },
    'Query.bookmarks': {
      document: '{ bookmarks(first: 5) { edges { node { id viewerBookmarked } } } }',
    },
    'Query.companies': { document: '{ companies(search: "acme") { id name domains } }' },
    'Query.companyRequests': { document: '{ companyRequests { domain attempts } }' },
    'Query.home': {
      document: '{ home(first: 100, order: NEW) { edges { node { id } } } }',
      got: (d) => homeIds(d).includes(fx.publicThreadId),
    },
    'Query.home (company board)': {
      document: '{ home(first: 100, order: NEW) { edges { node { id } } } }',
      got: (d) => homeIds(d).includes(fx.companyThreadId),
    },
    'Query.search': {
      document: '{ search(query: "matrix fixture", first: 100) { edges { snippet node { id } } } }',
      got: (d) => searchIds(d).includes(fx.publicThreadId),
    },
    'Query.search (company board)': {
      document: '{ search(query: "matrix fixture", first: 100) { edges { snippet node { id } } } }',
      got: (d) => searchIds(d).includes(fx.companyThreadId),
    },
    'Query.jurisdictions': { document: '{ jurisdictions { code name members } }' },
    'Query.node': {
      document: 'query ($id: ID!) { node(id: $id) { id ... on Thread { title } } }',
      prepare: () => ({ variables: { id: fx.publicThreadId } }),
      got: (d) => (d.node as { id?: string } | null)?.id === fx.publicThreadId,
    },
    'Query.node (company board)': {
      document: 'query ($id: ID!) { node(id: $id) { id ... on Thread { title } } }',
      prepare: () => ({ variables: { id: fx.companyThreadId } }),
      got: (d) => (d.node as { id?: string } | null)?.id === fx.companyThreadId,
    },
    'Query.node (rule set version)': {
      document: 'query ($id: ID!) { node(id: $id) { id ... on RuleSetVersion { status } } }',
      prepare: () => ({ variables: { id: fx.deDraftId } }),
      got: (d) => (d.node as { id?: string } | null)?.id === fx.deDraftId,
    },
    'Query.notifications': { document: '{ notifications { id kind read } }' },
    'Query.previewRuleSetImpact': {
      document:
        'query ($id: ID!, $since: DateTime!) { previewRuleSetImpact(ruleSetId: $id, since: $since, limit: 100) { scanned changed } }',
      prepare: () => ({
        variables: { id: fx.deDraftId, since: new Date(Date.now() - 86_400_000).toISOString() },
      }),
    },
    'Query.reasonCodes': { document: '{ reasonCodes { code category } }' },
    'Query.reviewItem': {
      document: 'query ($id: ID!) { reviewItem(id: $id) { id status history { action } } }',
      prepare: async () => ({ variables: { id: (await sharedReviewItem()).id } }),
      got: (d) => d.reviewItem !== null,
    },
    'Query.reviewItem (outside moderator scope)': {
      document: 'query ($id: ID!) { reviewItem(id: $id) { id status } }',
      prepare: async (role) => ({
        variables: { id: (await sharedReviewItem()).id },
        token: role === 'moderator' ? (await scopedModerator()).token : tokenOf(role),
      }),
      got: (d) => d.reviewItem !== null,
    },
    'Query.reviewQueue': {
      document: '{ reviewQueue(first: 10) { edges { node { id kind } } } }',
    },
    'Query.reviewQueue (outside moderator scope)': {
      document:
        'query ($c: ID!) { reviewQueue(first: 10, filter: { companyId: $c }) { edges { node { id } } } }',
      prepare: async (role) => ({
        variables: { c: fx.acmeId },
        token: role === 'moderator' ? (await scopedModerator()).token : tokenOf(role),
      }),
    },
    'Query.ruleSet': {
      document: 'query ($id: ID!) { ruleSet(id: $id) { id status rules { name } } }',
      prepare: () => ({ variables: { id: fx.deDraftId } }),
      got: (d) => d.ruleSet !== null,
    },
    'Query.serverInfo': { document: '{ serverInfo { version publicRead } }' },
    'Query.testRules': {
      document:
        'query ($id: ID!) { testRules(ruleSetId: $id, text: "a flagword here") { outcome hits { ruleName } } }',
      prepare: () => ({ variables: { id: fx.usActiveId } }),
    },
    'Query.thread': {
      document: 'query ($id: ID!) { thread(id: $id) { id title board { slug } } }',
      prepare: () => ({ variables: { id: fx.publicThreadId } }),
      got: threadVisible,
    },
    'Query.thread (company board)': {
      document: 'query ($id: ID!) { thread(id: $id) { id title } }',
      prepare: () => ({ variables: { id: fx.companyThreadId } }),
      got: threadVisible,
    },
    'Query.trending': {
      document: '{ trending(window: WEEK, first: 50) { id board { kind } } }',
      got: (d) =>
        Array.isArray(d.trending) &&
        (d.trending as Array<{ board: { kind: string } }>).every((t) => t.board.kind === 'PUBLIC'),
    },
    'Query.transparencyReport': {
      document:
        'query ($from: DateTime!, $to: DateTime!) { transparencyReport(from: $from, to: $to) { from to byAction { key count } } }',
      prepare: () => ({
        variables: {
          from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
          to: new Date().toISOString(),
        },
      }),
    },
    'Query.verifyAuditLog': { document: '{ verifyAuditLog { ok checked } }' },
    'Query.viewer': {
      document: '{ viewer { roles jurisdiction } }',
      got: (d) => d.viewer !== null,
    },

    'Mutation.addCompanyDomain': {
      document:
        'mutation ($c: ID!, $d: String!) { addCompanyDomain(companyId: $c, domain: $d) { id domains } }',
      prepare: () => ({ variables: { c: fx.globexId, d: `${unique('globex')}.example` } }),
    },
    'Mutation.addRule': {
      document:
        'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
      prepare: () => ({
        variables: { id: fx.deDraftId, input: rule(unique('added'), unique('term')) },
      }),
    },
    'Mutation.appeal': {
      document: 'mutation ($c: ID!) { appeal(contentId: $c, statement: "It was fine.") }',
      prepare: async (role) => ({ variables: { c: await removedPostOf(clientOf(role)) } }),
    },
    'Mutation.changePassword': {
      document:
        'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
      // A throwaway account holding the column's staff role: its other sessions end.
      prepare: async (role) => {
        const n = 'a new long password';
        if (role === 'visitor') return { variables: { c: 'correct horse battery', n } };
        const throwaway = await throwawayOf(role, false);
        return { variables: { c: throwaway.password, n }, token: throwaway.token };
      },
      got: (d) => d.changePassword === true,
    },
    'Mutation.claimReviewItem': {
      document: 'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { id } }',
      prepare: async () => {
        const item = await newReviewItem();
        return { variables: { id: item.id, v: item.version } };
      },
    },
    'Mutation.claimReviewItem (appeal of your decision)': {
      document: 'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { id } }',
      prepare: async () => {
        const item = await appealOfModeratorDecision();
        return { variables: { id: item.id, v: item.version } };
      },
    },
    'Mutation.createBoard': {
      document:
        'mutation ($s: String!) { createBoard(slug: $s, name: "Matrix", jurisdiction: "US") { id } }',
      prepare: () => ({ variables: { s: unique('board') } }),
    },
    'Mutation.createComment': {
      document:
        'mutation ($t: ID!) { createComment(input: { threadId: $t, body: "A comment." }) { comment { id } } }',
      prepare: () => ({ variables: { t: fx.publicThreadId } }),
    },
    'Mutation.createComment (company board)': {
      document:
        'mutation ($t: ID!) { createComment(input: { threadId: $t, body: "A comment." }) { comment { id } } }',
      prepare: () => ({ variables: { t: fx.companyThreadId } }),
    },
    'Mutation.createCompany': {
      document: `mutation ($s: String!, $d: [String!]!) {
        createCompany(name: $s, slug: $s, domains: $d, industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }`,
      prepare: () => {
        const slug = unique('co');
        return { variables: { s: slug, d: [`${slug}.example`] } };
      },
    },
    'Mutation.createRuleSetDraft': {
      document:
        'mutation ($j: String!) { createRuleSetDraft(jurisdiction: $j, copyActive: false) { id } }',
      prepare: (role) => ({
        variables: { j: jurisdictionFor(['FR', 'IT', 'ES', 'NL', 'BE', 'AT'], role) },
      }),
    },
    'Mutation.createThread': {
      document:
        'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Hi", body: "A thread." }) { thread { id } } }',
      prepare: () => ({ variables: { b: fx.publicBoardId } }),
    },
    'Mutation.createThread (company board)': {
      document:
        'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Hi", body: "A thread." }) { thread { id } } }',
      prepare: () => ({ variables: { b: fx.companyBoardId } }),
    },
    'Mutation.decideReviewItem': {
      document: DECIDE,
      prepare: async () => {
        const item = await newReviewItem();
        return { variables: { input: { id: item.id, version: item.version, decision: 'IGNORE' } } };
      },
    },
    'Mutation.decideReviewItem (appeal of your decision)': {
      document: DECIDE,
      prepare: async () => {
        const item = await appealOfModeratorDecision();
        return {
          variables: { input: { id: item.id, version: item.version, decision: 'APPROVE' } },
        };
      },
    },
    'Mutation.decideReviewItem (your own post)': {
      document: DECIDE,
      // The column's own post, held by the US HOLD rule (the visitor's: the author's).
      prepare: async (role) => {
        const id = await newThread(clientOf(role), fx.publicBoardId, 'A holdword post.');
        const item = await pendingItem(id, 'RULE_HOLD');
        return {
          variables: { input: { id: item.id, version: item.version, decision: 'APPROVE' } },
        };
      },
    },
    'Mutation.decideReviewItem (outside moderator scope)': {
      document: DECIDE,
      // A public-board item; the moderator column is scoped to company B's board.
      prepare: async (role) => {
        const item = await newReviewItem();
        return {
          variables: { input: { id: item.id, version: item.version, decision: 'IGNORE' } },
          token: role === 'moderator' ? (await scopedModerator()).token : tokenOf(role),
        };
      },
    },
    // Bulk: each input is checked as decideReviewItem checks it; a refused input is an error
    // of its own (with its id) next to the inputs decided.
    'Mutation.decideReviewItems': {
      document: DECIDE_MANY,
      prepare: async () => {
        const item = await newReviewItem();
        return {
          variables: { inputs: [{ id: item.id, version: item.version, decision: 'IGNORE' }] },
        };
      },
      got: (data) => (data.decideReviewItems as unknown[]).length === 1,
    },
    'Mutation.decideReviewItems (appeal of own decision)': {
      document: DECIDE_MANY,
      prepare: async () => {
        const item = await appealOfModeratorDecision();
        return {
          variables: { inputs: [{ id: item.id, version: item.version, decision: 'APPROVE' }] },
        };
      },
    },
    'Mutation.decideReviewItems (your own post)': {
      document: DECIDE_MANY,
      prepare: async (role) => {
        const id = await newThread(clientOf(role), fx.publicBoardId, 'A holdword post.');
        const item = await pendingItem(id, 'RULE_HOLD');
        return {
          variables: { inputs: [{ id: item.id, version: item.version, decision: 'APPROVE' }] },
        };
      },
    },
    'Mutation.decideReviewItems (outside scope)': {
      document: DECIDE_MANY,
      // A public-board item; the moderator column is scoped to company B's board.
      prepare: async (role) => {
        const item = await newReviewItem();
        return {
          variables: { inputs: [{ id: item.id, version: item.version, decision: 'IGNORE' }] },
          token: role === 'moderator' ? (await scopedModerator()).token : tokenOf(role),
        };
      },
    },
    'Mutation.deleteAccount': {
      document: 'mutation ($p: String!) { deleteAccount(password: $p) }',
      // A throwaway account holding the column's staff role.
      prepare: async (role) => {
        if (role === 'visitor') return { variables: { p: 'correct horse battery' } };
        const throwaway = await throwawayOf(role, false);
        return { variables: { p: throwaway.password }, token: throwaway.token };
      },
    },
    'Mutation.deleteComment': {
      document: 'mutation ($id: ID!) { deleteComment(id: $id) }',
      prepare: async (role) => ({ variables: { id: await newComment(clientOf(role)) } }),
    },
    'Mutation.deleteComment (someone else’s)': {
      document: 'mutation ($id: ID!) { deleteComment(id: $id) }',
      prepare: async () => ({ variables: { id: await newComment(author) } }),
    },
    'Mutation.deleteThread': {
      document: 'mutation ($id: ID!) { deleteThread(id: $id) }',
      prepare: async (role) => ({ variables: { id: await newThread(clientOf(role)) } }),
    },
    'Mutation.deleteThread (someone else’s)': {
      document: 'mutation ($id: ID!) { deleteThread(id: $id) }',
      prepare: async () => ({ variables: { id: await newThread(author) } }),
    },
    'Mutation.editComment': {
      document: 'mutation ($id: ID!) { editComment(id: $id, body: "Edited.") { comment { id } } }',
      prepare: async (role) => ({ variables: { id: await newComment(clientOf(role)) } }),
    },
    'Mutation.editComment (while suspended)': {
      document: 'mutation ($id: ID!) { editComment(id: $id, body: "Edited.") { comment { id } } }',
      // The column's own comment, by a throwaway account suspended after writing it.
      prepare: async (role) => {
        if (role === 'visitor') return { variables: { id: await newComment(author) } };
        const throwaway = await throwawayOf(role, true);
        const id = await newComment(throwaway);
        await suspendMember(env.app, throwaway);
        return { variables: { id }, token: throwaway.token };
      },
    },
    'Mutation.editComment (someone else’s)': {
      document: 'mutation ($id: ID!) { editComment(id: $id, body: "Edited.") { comment { id } } }',
      prepare: async () => ({ variables: { id: await newComment(author) } }),
    },
    'Mutation.editThread': {
      document: 'mutation ($id: ID!) { editThread(id: $id, title: "Edited") { thread { id } } }',
      prepare: async (role) => ({ variables: { id: await newThread(clientOf(role)) } }),
    },
    'Mutation.editThread (someone else’s)': {
      document: 'mutation ($id: ID!) { editThread(id: $id, title: "Edited") { thread { id } } }',
      prepare: async () => ({ variables: { id: await newThread(author) } }),
    },
    'Mutation.grantRole': {
      document: 'mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }',
      prepare: () => ({ variables: { e: roleTarget.email } }),
    },
    'Mutation.leaveCompany': {
      document: 'mutation ($c: ID!) { leaveCompany(companyId: $c) { memberships { status } } }',
      // A throwaway account with the column's staff role, verified at company A, leaves it.
      prepare: async (role) => {
        if (role === 'visitor') return { variables: { c: fx.acmeId } };
        const throwaway = await throwawayOf(role, true);
        return { variables: { c: fx.acmeId }, token: throwaway.token };
      },
      got: (d) =>
        JSON.stringify(d.leaveCompany) === JSON.stringify({ memberships: [{ status: 'FORMER' }] }),
    },
    ...followProbes('followThread', 'followThread(id: $id) { id viewerFollows }'),
    ...followProbes('bookmarkThread', 'bookmarkThread(id: $id) { id viewerBookmarked }'),
    'Mutation.markNotificationsRead': {
      document: 'mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }',
      prepare: () => ({ variables: { ids: [randomUUID()] } }),
    },
    'Mutation.publishRuleSet': {
      document: 'mutation ($id: ID!) { publishRuleSet(ruleSetId: $id) { id status } }',
      prepare: async (role) => {
        const j = jurisdictionFor(['SE', 'NO', 'DK', 'FI', 'PL', 'CZ'], role);
        const draft = await newDraft(officer2, j, [rule('Publish me', unique('term'))]);
        return { variables: { id: draft.id } };
      },
    },
    'Mutation.publishRuleSet (draft you edited last)': {
      document: 'mutation ($id: ID!) { publishRuleSet(ruleSetId: $id) { id status } }',
      prepare: async (role) => {
        const j = jurisdictionFor(['PT', 'IE', 'GR', 'HU', 'RO', 'BG'], role);
        const draft = await newDraft(officer2, j, []);
        await addRule(as.officer, draft.id, rule('Edited by the officer', unique('term')));
        return { variables: { id: draft.id } };
      },
    },
    'Mutation.removeRule': {
      document: 'mutation ($id: ID!) { removeRule(ruleId: $id) }',
      prepare: async () => ({
        variables: { id: await addRule(officer2, fx.deDraftId, rule('Remove me', unique('t'))) },
      }),
    },
    'Mutation.report': {
      document: 'mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }',
      prepare: async () => ({ variables: { c: await newThread(author) } }),
    },
    'Mutation.report (company board)': {
      document: 'mutation ($c: ID!) { report(contentId: $c, reason: SPAM) }',
      prepare: async () => ({ variables: { c: await newThread(author, fx.companyBoardId) } }),
    },
    'Mutation.requestEmailCode': {
      document: 'mutation ($e: String!) { requestEmailCode(email: $e) }',
      prepare: () => ({ variables: { e: `${unique('code')}@example.org` } }),
    },
    'Mutation.resetPassword': {
      document: `mutation ($e: String!, $c: String!) {
        resetPassword(email: $e, code: $c, newPassword: "a new long password") { expiresAt } }`,
      // A throwaway account's address, with a code requested signed out.
      prepare: async () => {
        const throwaway = await signUpMember(env.app, env.smtp);
        return { variables: { e: throwaway.email, c: await emailCode(throwaway.email) } };
      },
    },
    'Mutation.revokeRole': {
      document: 'mutation ($e: String!) { revokeRole(email: $e, role: MODERATOR) }',
      prepare: async () => {
        await grant(roleTarget, 'MODERATOR');
        return { variables: { e: roleTarget.email } };
      },
    },
    'Mutation.rollbackRuleSet': {
      // An emergency rollback publishes at once (a four-eyes rollback would leave a draft that
      // the next role's preparation could not add to).
      document:
        'mutation { rollbackRuleSet(jurisdiction: "GB", toVersion: 1, emergency: true, reason: "Matrix") { id version status } }',
      // A newer GB version with other rules than version 1, so that a rollback changes something.
      prepare: async () => {
        const draft = await newDraft(officer2, 'GB', [rule('Newer', unique('term'))]);
        await publish(as.officer, draft.id);
        return {};
      },
    },
    'Mutation.scopeModerator': {
      document: 'mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }',
      prepare: () => ({ variables: { e: scopeTarget.email, c: fx.acmeId } }),
    },
    'Mutation.setJurisdiction': {
      document: 'mutation { setJurisdiction(code: "US") { jurisdiction } }',
    },
    'Mutation.signIn': {
      document:
        'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { expiresAt } }',
      prepare: (role) => {
        const client = role === 'visitor' ? roleTarget : as[role];
        return { variables: { e: client.email, p: client.password } };
      },
    },
    'Mutation.signOut': {
      document: 'mutation { signOut }',
      // A second session of the column's account, so that its own token keeps working.
      prepare: async (role) => {
        if (role === 'visitor') return {};
        const { signIn } = await dataOf(
          env.app.gql<{ signIn: { token: string } }>(
            'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
            { e: as[role].email, p: as[role].password },
          ),
        );
        return { token: signIn.token };
      },
    },
    'Mutation.signUp': {
      document: `mutation ($e: String!, $c: String!) {
        signUp(email: $e, code: $c, password: "correct horse battery", jurisdiction: "US") { expiresAt } }`,
      prepare: async () => {
        const e = `${unique('new')}@example.org`;
        return { variables: { e, c: await emailCode(e) } };
      },
    },
    'Mutation.updateRule': {
      document:
        'mutation ($id: ID!, $input: RuleInput!) { updateRule(ruleId: $id, input: $input) { id } }',
      prepare: () => ({
        variables: { id: fx.deRuleId, input: rule(unique('updated'), unique('term')) },
      }),
    },
    'Mutation.verifyEmployer': {
      document:
        'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status } }',
      prepare: async (role) => {
        const domain = role === 'otherMember' ? 'globex.example' : 'acme.example';
        const e = `${unique('work')}@${domain}`;
        return { variables: { e, c: await emailCode(e, clientOf(role)) } };
      },
    },
    // A vote in a poll is final: each call votes in a poll of its own.
    'Mutation.votePoll': {
      document: VOTE_POLL,
      prepare: async () => ({ variables: await newPoll(author) }),
    },
    'Mutation.votePoll (company board)': {
      document: VOTE_POLL,
      prepare: async () => ({ variables: await newPoll(author, fx.companyBoardId) }),
    },
    'Mutation.votePoll (your own poll)': {
      document: VOTE_POLL,
      prepare: async (role) => ({ variables: await newPoll(clientOf(role)) }),
    },
    'Mutation.votePoll (without a verified employer)': {
      document: VOTE_POLL,
      prepare: async (role) => {
        const variables = await newPoll(author);
        return role === 'visitor'
          ? { variables }
          : { variables, token: (await throwawayOf(role, false)).token };
      },
    },
    'Thread.poll': {
      document: `query ($id: ID!) { thread(id: $id) { id poll { id question options { id text votes } totalVotes closed viewerChoice } } }`,
      prepare: () => ({ variables: { id: fx.pollThreadId } }),
      got: (d) => (d.thread as { poll: unknown } | null)?.poll != null,
    },
    ...voteProbes('vote', 'vote(contentId: $c, value: 1)'),
    ...voteProbes('setVote', 'setVote(contentId: $c, value: 1) { score viewerVote }'),

    'Subscription.commentAdded': {
      document: 'subscription ($t: ID!) { commentAdded(threadId: $t) { id body } }',
      prepare: () => ({ variables: { t: fx.publicThreadId } }),
      trigger: () => newComment(author, fx.publicThreadId, 'Live comment.'),
    },
    'Subscription.commentAdded (company board)': {
      document: 'subscription ($t: ID!) { commentAdded(threadId: $t) { id body } }',
      prepare: () => ({ variables: { t: fx.companyThreadId } }),
      trigger: () => newComment(author, fx.companyThreadId, 'Live company comment.'),
    },
    'Subscription.reviewQueueChanged': {
      document: 'subscription { reviewQueueChanged { id kind } }',
      trigger: () => newThread(author, fx.publicBoardId, 'A flagword post, live.'),
    },

    'Company.board': {
      document: '{ companies(search: "acme") { slug board { id } } }',
      got: (d) =>
        (d.companies as Array<{ slug: string; board: unknown }>).find((c) => c.slug === 'acme')
          ?.board != null,
    },
    'Jurisdiction.activeRuleSet': {
      document: '{ jurisdictions { code activeRuleSet { id version } } }',
    },
    'Jurisdiction.ruleSets': { document: '{ jurisdictions { code ruleSets { id status } } }' },
    'Thread.notices': {
      document: 'query ($id: ID!) { thread(id: $id) { id notices { action ruleName } } }',
      prepare: () => ({ variables: { id: fx.noticeThreadId } }),
      got: (d) => ((d.thread as { notices: unknown[] } | null)?.notices.length ?? 0) > 0,
    },
    // Each signed-in column lists the thread (comment) it has just written.
    'Viewer.threads': {
      document: '{ viewer { threads(first: 5) { edges { node { id author { isViewer } } } } } }',
      prepare: async (role) => {
        if (role !== 'visitor') await newThread(clientOf(role));
        return {};
      },
      got: (d) =>
        ((d.viewer as { threads: { edges: unknown[] } } | null)?.threads.edges.length ?? 0) > 0,
    },
    'Viewer.unreadNotifications': {
      document: '{ viewer { unreadNotifications } }',
      got: (d) =>
        typeof (d.viewer as { unreadNotifications?: number } | null)?.unreadNotifications ===
        'number',
    },
    'Viewer.comments': {
      document: '{ viewer { comments(first: 5) { edges { node { id author { isViewer } } } } } }',
      prepare: async (role) => {
        if (role !== 'visitor') await newComment(clientOf(role));
        return {};
      },
      got: (d) =>
        ((d.viewer as { comments: { edges: unknown[] } } | null)?.comments.edges.length ?? 0) > 0,
    },
    'Comment.notices': {
      document: `query ($id: ID!) { thread(id: $id) {
        comments(first: 10) { edges { node { id notices { action ruleName } } } } } }`,
      prepare: () => ({ variables: { id: fx.noticeThreadId } }),
      got: (d) =>
        (
          d.thread as { comments: { edges: Array<{ node: { notices: unknown[] } }> } } | null
        )?.comments.edges.some((e) => e.node.notices.length > 0) ?? false,
    },
  };
  const sharedReviewItem = once(newReviewItem);
  /** A moderator whom the admin scoped to company B's board. */
  const scopedModerator = once(async () => {
    const moderator = await signUpMember(env.app, env.smtp);
    await grant(moderator, 'MODERATOR');
    await dataOf(
      env.admin.gql('mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }', {
        e: moderator.email,
        c: fx.globexId,
      }),
    );
    return moderator;
  });

  // Running a probe --------------------------------------------------------------------------

  const runHttp = async (key: string, probe: Probe): Promise<string[]> => {
    const problems: string[] = [];
    for (const role of MATRIX_ROLES) {
      const prepared = (await probe.prepare?.(role)) ?? {};
      const token = prepared.token === undefined ? tokenOf(role) : prepared.token;
      const answer = await call(probe.document, prepared.variables, token);
      const problem = mismatch(key, probe, role, answer);
      if (problem !== null) problems.push(problem);
    }
    return problems;
  };

  /** The first message of a subscription, or why there was none. */
  const firstMessage = async (
    iterator: AsyncIterator<Answer>,
    timeoutMs: number,
  ): Promise<Answer | { invalid: string }> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        iterator.next().then(
          (r): Answer | { invalid: string } =>
            r.done === true ? { invalid: 'completed without a result' } : r.value,
          (error: unknown) => ({ invalid: `refused: ${JSON.stringify(error)}` }),
        ),
        new Promise<{ invalid: string }>((resolve) => {
          timer = setTimeout(
            () => resolve({ invalid: `no result within ${timeoutMs} ms` }),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  /**
   * All six roles subscribe at once. A refused subscription answers with its error at once; an
   * allowed one registers on the server (its pub/sub count rises), then must deliver the event
   * `trigger` causes.
   */
  const runSubscription = async (key: string, probe: Probe): Promise<string[]> => {
    const clients: Client[] = [];
    const iterators: Array<AsyncIterableIterator<Answer>> = [];
    const live = () => graphqlSubscriptionCount(env.app.url);
    const before = await live();
    // Subscribed: the allowed roles, but for those it is hidden from (refused as NOT_FOUND).
    const allowed = MATRIX_ROLES.filter(
      (role) =>
        AUTHORIZATION_MATRIX[key][role] === 'allow' && !(HIDDEN_FROM[key] ?? []).includes(role),
    );
    try {
      const pending = await Promise.all(
        MATRIX_ROLES.map(async (role) => {
          const prepared = (await probe.prepare?.(role)) ?? {};
          const token = prepared.token === undefined ? tokenOf(role) : prepared.token;
          const client = createClient({
            url: `${env.app.url.replace('http', 'ws')}/graphql`,
            webSocketImpl: WebSocket,
            connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
            retryAttempts: 0,
            lazy: true,
          });
          clients.push(client);
          const iterator = client.iterate<Data>({
            query: probe.document,
            variables: prepared.variables,
          }) as unknown as AsyncIterableIterator<Answer>;
          iterators.push(iterator);
          // Wrapped, so that awaiting the subscriptions does not wait for their first message.
          return { first: firstMessage(iterator, 15_000) };
        }),
      );
      // Every allowed subscription registered on the server before the event.
      await waitFor(
        `${allowed.length} subscription(s) to ${key}`,
        async () => (await live()) >= before + allowed.length,
      );
      await probe.trigger?.();
      const answers = await Promise.all(pending.map((p) => p.first));
      return MATRIX_ROLES.flatMap((role, i) => {
        const answer = answers[i];
        if ('invalid' in answer) return [`${role}: ${answer.invalid}`];
        return [mismatch(key, probe, role, answer)].filter((p): p is string => p !== null);
      });
    } finally {
      for (const iterator of iterators) await iterator.return?.();
      for (const client of clients) await client.dispose();
      // Gone from the server too, so the next probe counts from the same start.
      await waitFor(`the subscriptions to ${key} to end`, async () => (await live()) <= before);
    }
  };

  // Fixtures ---------------------------------------------------------------------------------

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Acme', slug: 'acme' }, undefined, {
      PUBLIC_READ: 'true',
      COMPANY_BOARD_MIN_MEMBERS: '2',
      K_ANONYMITY_MIN: '2',
      // Hundreds of calls from one address within a minute: lift the per-address budgets.
      RATE_LIMIT_MAX: '100000',
      AUTH_RATE_LIMIT_MAX: '10000',
      EMAIL_CODES_PER_IP_PER_HOUR: '10000',
      SIGN_INS_PER_IP: '10000',
      SIGN_INS_PER_ADDRESS: '1000',
      // The helper author posts dozens of fixtures: lift the per-account budgets too.
      POST_RATE_LIMIT_MAX: '10000',
      VOTE_RATE_LIMIT_MAX: '10000',
      REPORT_RATE_LIMIT_MAX: '10000',
    });
    const { app, smtp, admin } = env;
    as.admin = admin;
    fx.publicBoardId = await createGeneralBoard(admin);
    const companies = await dataOf(
      admin.gql<{ companies: Array<{ id: string; slug: string }> }>('{ companies { id slug } }'),
    );
    fx.acmeId = companies.companies.find((c) => c.slug === 'acme')!.id;
    fx.globexId = (
      await dataOf(
        admin.gql<{ createCompany: { id: string } }>(
          'mutation { createCompany(name: "Globex", slug: "globex", domains: ["globex.example"], industry: "Energy", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
        ),
      )
    ).createCompany.id;

    // One after another: the password hasher's queue is bounded.
    for (const role of ['member', 'otherMember', 'moderator', 'officer'] as const)
      as[role] = await signUpMember(app, smtp);
    author = await signUpMember(app, smtp);
    modHelper = await signUpMember(app, smtp);
    officer2 = await signUpMember(app, smtp);
    roleTarget = await signUpMember(app, smtp);
    scopeTarget = await signUpMember(app, smtp);
    for (const client of [as.moderator, modHelper, scopeTarget]) await grant(client, 'MODERATOR');
    for (const client of [as.officer, officer2]) await grant(client, 'COMPLIANCE_OFFICER');
    for (const [client, email] of [
      [as.admin, 'admin@acme.example'],
      [as.member, 'member@acme.example'],
      [as.moderator, 'moderator@acme.example'],
      [as.officer, 'officer@acme.example'],
      [author, 'author@acme.example'],
      [as.otherMember, 'other@globex.example'],
    ] as const) {
      expect((await verifyEmployer(app, smtp, client, email)).errors).toBeUndefined();
    }
    const boards = await dataOf(
      as.member.gql<{ boards: Array<{ id: string; slug: string; kind: string }> }>(
        '{ boards { id slug kind } }',
      ),
    );
    const companyBoard = boards.boards.find((b) => b.kind === 'COMPANY')!;
    fx.companyBoardId = companyBoard.id;
    fx.companyBoardSlug = companyBoard.slug;

    // Rules: US active (FLAG, REDACT, HOLD), a DE draft, GB version 1 (to roll back to).
    const us = await newDraft(officer2, 'US', [
      rule('Flag word', 'flagword', 'FLAG'),
      rule('Redact word', 'redactword', 'REDACT'),
      rule('Hold word', 'holdword', 'HOLD'),
    ]);
    await publish(as.officer, us.id);
    fx.usActiveId = us.id;
    const de = await newDraft(officer2, 'DE', [rule('Draft rule', 'verboten')]);
    fx.deDraftId = de.id;
    fx.deRuleId = de.ruleIds[0];
    await publish(as.officer, (await newDraft(officer2, 'GB', [rule('First', 'gbone')])).id);

    fx.publicThreadId = await newThread(author);
    fx.companyThreadId = await newThread(author, fx.companyBoardId);
    fx.pollThreadId = (
      await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Poll", body: "Poll.", poll: { question: "Which?", options: ["A", "B"] } }) { thread { id } } }',
          { b: fx.publicBoardId },
        ),
      )
    ).createThread.thread.id;
    fx.noticeThreadId = await newThread(author, fx.publicBoardId, 'Some redactword here.');
    await newComment(author, fx.noticeThreadId, 'A redactword comment.');
  });
  afterAll(async () => {
    await env?.close();
  });

  // The tests --------------------------------------------------------------------------------

  it('has a row for every Query, Mutation and Subscription field of the live schema', () => {
    const schema = env.app.app.get(GraphQLSchemaHost).schema;
    const operations = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ].flatMap((type) =>
      type == null ? [] : Object.keys(type.getFields()).map((field) => `${type.name}.${field}`),
    );
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((operation) => !(operation in AUTHORIZATION_MATRIX))).toEqual([]);
    // Every row names a field that exists, and has a probe; hidden roles are allowed ones.
    const stale = Object.keys(AUTHORIZATION_MATRIX).filter((key) => {
      const { type, field } = fieldOfRow(key);
      const named = schema.getType(type);
      return !isObjectType(named) || !(field in named.getFields());
    });
    expect(stale).toEqual([]);
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(AUTHORIZATION_MATRIX).sort());
    for (const [key, gap] of Object.entries(KNOWN_GAPS))
      expect([key, AUTHORIZATION_MATRIX[key]?.[gap.role]]).toEqual([key, 'allow']);
    for (const [key, roles] of Object.entries(HIDDEN_FROM)) {
      expect([key, key in AUTHORIZATION_MATRIX]).toEqual([key, true]);
      for (const role of roles)
        expect([key, role, AUTHORIZATION_MATRIX[key][role]]).toEqual([key, role, 'allow']);
    }
  });

  it.each(Object.keys(AUTHORIZATION_MATRIX))('%s', async (key) => {
    const probe = PROBES[key];
    expect(probe).toBeDefined();
    const problems =
      fieldOfRow(key).type === 'Subscription'
        ? await runSubscription(key, probe)
        : await runHttp(key, probe);
    expect(problems).toEqual([]);
  });

  it('keeps docs/security.md in step with the table, once the section is there', () => {
    const doc = join(PROJECT_ROOT, 'docs', 'security.md');
    const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
    if (!text.includes('## Authorization matrix')) return;
    // Prettier pads Markdown tables: compare cells, not spacing.
    const normalise = (markdown: string): string =>
      markdown
        .split('\n')
        .map((line) =>
          line.trimStart().startsWith('|')
            ? line
                .trim()
                .split('|')
                .map((cell) => cell.trim().replace(/^:?-+:?$/, '---'))
                .join('|')
            : line,
        )
        .join('\n');
    expect(normalise(text)).toContain(normalise(renderAuthorizationMatrix()));
  });

  it('still signs in every column afterwards (no probe spent a column’s session)', async () => {
    for (const role of SIGNED_IN_ROLES) {
      const answer = await as[role].gql<{ viewer: { roles: string[] } | null }>(
        '{ viewer { roles } }',
      );
      expect([role, answer.errors, answer.data?.viewer === null]).toEqual([role, undefined, false]);
    }
  });
});
