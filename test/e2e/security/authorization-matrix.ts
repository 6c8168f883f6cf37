/**
 * The authorization matrix (issue 9): for every Query, Mutation and Subscription field of the
 * schema, and for a few nested fields and record-level cases that have checks of their own,
 * what each role gets. `authorization-matrix.e2e-spec.ts` runs every row as every role against
 * the real app and fails on any difference, and on any schema field without a row: a new
 * operation, or a change of who may call one, is a visible diff of this file.
 *
 * Outcomes (the classification rule, docs/security.md "Authorization matrix"):
 * - `allow`: the answer carries no `UNAUTHENTICATED` and no `FORBIDDEN` error. Errors that
 *   come after authorization (NOT_FOUND, BAD_USER_INPUT, CONFLICT, CONTENT_BLOCKED) still
 *   count as allowed; the spec then also checks the call really succeeded, or was hidden as
 *   `HIDDEN_FROM` says.
 * - `UNAUTHENTICATED` / `FORBIDDEN`: the answer carries that code (and no other auth code).
 *
 * Row keys are `Type.field`, optionally followed by ` (case)` for a second fixture of the same
 * field (a company board, someone else's post, ...). In the "(outside moderator scope)" rows,
 * the moderator column is a moderator whom an admin scoped to company B's board.
 *
 * Rows marked KNOWN GAP record today's behaviour where it is wrong; fixing the gap turns the
 * cell into what the comment says, as a reviewed diff of this table.
 */

export const MATRIX_ROLES = [
  'visitor',
  'member',
  'otherMember',
  'moderator',
  'officer',
  'admin',
] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export type Outcome = 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** What each column means (every signed-in role also holds MEMBER and a current membership). */
export const ROLE_LABELS: Readonly<Record<MatrixRole, string>> = {
  visitor: 'visitor (no token)',
  member: 'member (company A)',
  otherMember: 'member of company B',
  moderator: 'moderator',
  officer: 'compliance officer',
  admin: 'admin',
};

const A = 'allow';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';

type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

// prettier-ignore
const ROWS: Readonly<Record<string, Row>> = {
  //                                                     visitor member other  moderator officer admin
  'Query.auditLog':                                       [U,      F,     F,     F,        A,      A],
  'Query.board':                                          [A,      A,     A,     A,        A,      A],
  'Query.bookmarks':                                      [U,      A,     A,     A,        A,      A],
  'Query.board (company board)':                          [A,      A,     A,     A,        A,      A],
  'Query.boards':                                         [A,      A,     A,     A,        A,      A],
  'Query.companies':                                      [A,      A,     A,     A,        A,      A],
  'Query.companyRequests':                                [U,      F,     F,     F,        F,      A],
  'Query.home':                                           [A,      A,     A,     A,        A,      A],
  'Query.home (company board)':                           [A,      A,     A,     A,        A,      A],
  'Query.jurisdictions':                                  [A,      A,     A,     A,        A,      A],
  'Query.node':                                           [A,      A,     A,     A,        A,      A],
  'Query.node (company board)':                           [A,      A,     A,     A,        A,      A],
  'Query.node (rule set version)':                        [A,      A,     A,     A,        A,      A],
  'Query.notifications':                                  [U,      A,     A,     A,        A,      A],
  'Query.previewRuleSetImpact':                           [U,      F,     F,     F,        A,      F],
  'Query.reasonCodes':                                    [U,      F,     F,     A,        F,      F],
  'Query.reviewItem':                                     [U,      F,     F,     A,        F,      F],
  'Query.reviewItem (outside moderator scope)':           [U,      F,     F,     A,        F,      F],
  'Query.reviewQueue':                                    [U,      F,     F,     A,        F,      F],
  'Query.reviewQueue (outside moderator scope)':          [U,      F,     F,     F,        F,      F],
  'Query.ruleSet':                                        [U,      F,     F,     F,        A,      F],
  'Query.search':                                         [A,      A,     A,     A,        A,      A],
  'Query.search (company board)':                         [A,      A,     A,     A,        A,      A],
  'Query.serverInfo':                                     [A,      A,     A,     A,        A,      A],
  'Query.testRules':                                      [U,      F,     F,     F,        A,      F],
  'Query.thread':                                         [A,      A,     A,     A,        A,      A],
  'Query.thread (company board)':                         [A,      A,     A,     A,        A,      A],
  'Query.transparencyReport':                             [U,      F,     F,     F,        A,      A],
  'Query.trending':                                       [A,      A,     A,     A,        A,      A],
  'Query.verifyAuditLog':                                 [U,      F,     F,     F,        A,      A],
  'Query.viewer':                                         [A,      A,     A,     A,        A,      A],

  'Mutation.addCompanyDomain':                            [U,      F,     F,     F,        F,      A],
  'Mutation.addRule':                                     [U,      F,     F,     F,        A,      F],
  'Mutation.bookmarkThread':                              [U,      A,     A,     A,        A,      A],
  'Mutation.bookmarkThread (company board)':              [U,      A,     A,     A,        A,      A],
  'Mutation.appeal':                                      [U,      A,     A,     A,        A,      A],
  'Mutation.changePassword':                              [U,      A,     A,     A,        A,      A],
  'Mutation.claimReviewItem':                             [U,      F,     F,     A,        F,      F],
  'Mutation.claimReviewItem (appeal of your decision)':   [U,      F,     F,     F,        F,      F],
  'Mutation.createBoard':                                 [U,      F,     F,     F,        F,      A],
  'Mutation.createComment':                               [U,      A,     A,     A,        A,      A],
  'Mutation.createComment (company board)':               [U,      A,     A,     A,        A,      A],
  'Mutation.createCompany':                               [U,      F,     F,     F,        F,      A],
  'Mutation.createRuleSetDraft':                          [U,      F,     F,     F,        A,      F],
  'Mutation.createThread':                                [U,      A,     A,     A,        A,      A],
  'Mutation.createThread (company board)':                [U,      A,     A,     A,        A,      A],
  'Mutation.decideReviewItem':                            [U,      F,     F,     A,        F,      F],
  'Mutation.decideReviewItem (appeal of your decision)':  [U,      F,     F,     F,        F,      F],
  'Mutation.decideReviewItem (your own post)':            [U,      F,     F,     F,        F,      F],
  'Mutation.decideReviewItem (outside moderator scope)':  [U,      F,     F,     F,        F,      F],
  'Mutation.decideReviewItems':                           [U,      F,     F,     A,        F,      F],
  'Mutation.decideReviewItems (appeal of own decision)':  [U,      F,     F,     F,        F,      F],
  'Mutation.decideReviewItems (your own post)':           [U,      F,     F,     F,        F,      F],
  'Mutation.decideReviewItems (outside scope)':           [U,      F,     F,     F,        F,      F],
  'Mutation.deleteAccount':                               [U,      A,     A,     A,        A,      A],
  'Mutation.deleteComment':                               [U,      A,     A,     A,        A,      A],
  'Mutation.deleteComment (someone else’s)':              [U,      F,     F,     F,        F,      F],
  'Mutation.deleteThread':                                [U,      A,     A,     A,        A,      A],
  'Mutation.deleteThread (someone else’s)':               [U,      F,     F,     F,        F,      F],
  'Mutation.editComment':                                 [U,      A,     A,     A,        A,      A],
  'Mutation.editComment (while suspended)':               [U,      F,     F,     F,        F,      F],
  'Mutation.editComment (someone else’s)':                [U,      F,     F,     F,        F,      F],
  'Mutation.editThread':                                  [U,      A,     A,     A,        A,      A],
  'Mutation.editThread (someone else’s)':                 [U,      F,     F,     F,        F,      F],
  'Mutation.followThread':                                [U,      A,     A,     A,        A,      A],
  'Mutation.followThread (company board)':                [U,      A,     A,     A,        A,      A],
  'Mutation.grantRole':                                   [U,      F,     F,     F,        F,      A],
  'Mutation.leaveCompany':                                [U,      A,     A,     A,        A,      A],
  'Mutation.markNotificationsRead':                       [U,      A,     A,     A,        A,      A],
  'Mutation.publishRuleSet':                              [U,      F,     F,     F,        A,      F],
  'Mutation.publishRuleSet (draft you edited last)':      [U,      F,     F,     F,        F,      F],
  'Mutation.removeRule':                                  [U,      F,     F,     F,        A,      F],
  'Mutation.report':                                      [U,      A,     A,     A,        A,      A],
  'Mutation.report (company board)':                      [U,      A,     A,     A,        A,      A],
  'Mutation.requestEmailCode':                            [A,      A,     A,     A,        A,      A],
  'Mutation.resetPassword':                               [A,      A,     A,     A,        A,      A],
  'Mutation.revokeRole':                                  [U,      F,     F,     F,        F,      A],
  'Mutation.rollbackRuleSet':                             [U,      F,     F,     F,        A,      F],
  'Mutation.scopeModerator':                              [U,      F,     F,     F,        F,      A],
  'Mutation.setJurisdiction':                             [U,      A,     A,     A,        A,      A],
  'Mutation.setVote':                                     [U,      A,     A,     A,        A,      A],
  'Mutation.setVote (company board)':                     [U,      A,     A,     A,        A,      A],
  'Mutation.setVote (your own post)':                     [U,      F,     F,     F,        F,      F],
  'Mutation.setVote (without a verified employer)':       [U,      F,     F,     F,        F,      F],
  'Mutation.signIn':                                      [A,      A,     A,     A,        A,      A],
  'Mutation.signOut':                                     [U,      A,     A,     A,        A,      A],
  'Mutation.signUp':                                      [A,      A,     A,     A,        A,      A],
  'Mutation.updateRule':                                  [U,      F,     F,     F,        A,      F],
  'Mutation.verifyEmployer':                              [U,      A,     A,     A,        A,      A],
  'Mutation.votePoll':                                    [U,      A,     A,     A,        A,      A],
  'Mutation.votePoll (company board)':                    [U,      A,     A,     A,        A,      A],
  'Mutation.votePoll (your own poll)':                    [U,      A,     A,     A,        A,      A],
  'Mutation.votePoll (without a verified employer)':      [U,      F,     F,     F,        F,      F],
  'Mutation.vote':                                        [U,      A,     A,     A,        A,      A],
  'Mutation.vote (company board)':                        [U,      A,     A,     A,        A,      A],
  'Mutation.vote (your own post)':                        [U,      F,     F,     F,        F,      F],
  'Mutation.vote (without a verified employer)':          [U,      F,     F,     F,        F,      F],

  'Subscription.commentAdded':                            [A,      A,     A,     A,        A,      A],
  'Subscription.commentAdded (company board)':            [A,      A,     A,     A,        A,      A],
  'Subscription.reviewQueueChanged':                      [U,      F,     F,     A,        F,      F],

  'Company.board':                                        [A,      A,     A,     A,        A,      A],
  'Jurisdiction.activeRuleSet':                           [U,      F,     F,     F,        A,      F],
  'Jurisdiction.ruleSets':                                [U,      F,     F,     F,        A,      F],
  'Thread.notices':                                       [A,      A,     A,     A,        A,      A],
  'Thread.poll':                                          [A,      A,     A,     A,        A,      A],
  'Comment.notices':                                      [A,      A,     A,     A,        A,      A],
  'Viewer.threads':                                       [A,      A,     A,     A,        A,      A],
  'Viewer.comments':                                      [A,      A,     A,     A,        A,      A],
  'Viewer.unreadNotifications':                           [A,      A,     A,     A,        A,      A],
};

/**
 * Data visibility, not authorization: roles that are allowed past authorization but must get
 * nothing (a null or empty answer, or NOT_FOUND, as if the thing did not exist). Every other
 * allowed role must get a full answer without any error.
 */
export const HIDDEN_FROM: Readonly<Record<string, readonly MatrixRole[]>> = {
  'Query.board (company board)': ['visitor', 'otherMember'],
  'Query.thread (company board)': ['visitor', 'otherMember'],
  // Visitors and other companies' members get the public boards' threads only.
  'Query.home (company board)': ['visitor', 'otherMember'],
  // Search finds what the home feed lists: visitors and other companies' members see the public boards.
  'Query.search (company board)': ['visitor', 'otherMember'],
  'Query.viewer': ['visitor'],
  // node(id:) shows what the type's own query shows, and nothing to anyone else.
  'Query.node (company board)': ['visitor', 'otherMember'],
  'Query.node (rule set version)': ['visitor', 'member', 'otherMember', 'moderator', 'admin'],
  'Mutation.createComment (company board)': ['otherMember'],
  'Mutation.createThread (company board)': ['otherMember'],
  'Mutation.report (company board)': ['otherMember'],
  'Mutation.vote (company board)': ['otherMember'],
  'Mutation.setVote (company board)': ['otherMember'],
  'Mutation.votePoll (company board)': ['otherMember'],
  'Mutation.followThread (company board)': ['otherMember'],
  'Mutation.bookmarkThread (company board)': ['otherMember'],
  'Subscription.commentAdded (company board)': ['visitor', 'otherMember'],
  'Company.board': ['visitor', 'otherMember'],
  'Query.reviewItem (outside moderator scope)': ['moderator'],
  // Notices of someone else's post: moderators and compliance officers only.
  'Thread.notices': ['visitor', 'member', 'otherMember', 'admin'],
  'Comment.notices': ['visitor', 'member', 'otherMember', 'admin'],
  // A visitor has no viewer, so no posts of their own to list.
  'Viewer.threads': ['visitor'],
  'Viewer.comments': ['visitor'],
  'Viewer.unreadNotifications': ['visitor'],
};

/**
 * Cells where today's behaviour is wrong. The table records what the server does, so the test
 * passes; fixing a gap means changing the cell to `should` and deleting the entry here.
 */
export const KNOWN_GAPS: Readonly<
  Record<string, { role: MatrixRole; should: Exclude<Outcome, 'allow'>; why: string }>
> = {};

/** The committed table: row key → role → expected outcome. */
export const AUTHORIZATION_MATRIX: Readonly<Record<string, Readonly<Record<MatrixRole, Outcome>>>> =
  Object.fromEntries(
    Object.entries(ROWS).map(([key, row]) => [
      key,
      Object.fromEntries(MATRIX_ROLES.map((role, i) => [role, row[i]])) as Record<
        MatrixRole,
        Outcome
      >,
    ]),
  );

/** `Type.field` of a row key (without its ` (case)`). */
export function fieldOfRow(key: string): { type: string; field: string } {
  const [type, field] = key.replace(/ \(.*\)$/, '').split('.');
  return { type, field };
}

/** The table as Markdown (for docs/security.md, "Authorization matrix"). */
export function renderAuthorizationMatrix(): string {
  const cell = (key: string, role: MatrixRole): string => {
    const outcome = AUTHORIZATION_MATRIX[key][role];
    if (outcome !== 'allow') return `\`${outcome}\``;
    const gap = KNOWN_GAPS[key];
    if (gap?.role === role) return `allow (known gap: should be \`${gap.should}\`)`;
    return HIDDEN_FROM[key]?.includes(role) === true ? 'allow, hidden' : 'allow';
  };
  const header = `| operation | ${MATRIX_ROLES.map((r) => ROLE_LABELS[r]).join(' | ')} |`;
  const rule = `|---|${MATRIX_ROLES.map(() => '---').join('|')}|`;
  const lines = Object.keys(AUTHORIZATION_MATRIX).map(
    (key) => `| \`${key}\` | ${MATRIX_ROLES.map((role) => cell(key, role)).join(' | ')} |`,
  );
  return [header, rule, ...lines].join('\n');
}
