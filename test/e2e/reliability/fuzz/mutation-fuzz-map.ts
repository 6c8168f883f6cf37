import fc from 'fast-check';
import { OMIT, type Plausible } from './schema-arbitraries';

/** Who sends a fuzzed mutation. `disposable` is a new account for each call (signOut, deleteAccount). */
export type Actor =
  'visitor' | 'member' | 'member2' | 'admin' | 'officer' | 'officer2' | 'moderator' | 'disposable';

/**
 * What the fuzzed forum holds, as pools of ids and addresses that grow while the fuzzer runs
 * (what a successful mutation creates is added), so plausible values hit real rows.
 */
export interface FuzzWorld {
  boardIds: string[];
  threadIds: string[];
  commentIds: string[];
  companyIds: string[];
  draftIds: string[];
  ruleIds: string[];
  reviewItemIds: string[];
  /** The last version seen of each review item (claims and decisions need the current one). */
  reviewVersions: Record<string, number>;
  /** Posts of `member` a moderator removed: what an appeal is about. */
  appealableIds: string[];
  notificationIds: string[];
  /** Polls (createThread's `poll`) and their options' ids. */
  pollIds: string[];
  pollOptionIds: string[];
  /** An account roles are granted to and taken from (never one of the fuzzing actors). */
  targetEmail: string;
  /** Addresses of accounts that exist, for signIn. */
  knownEmails: string[];
  /** The password of every account the fuzzer made. */
  password: string;
  /** The domain of the fuzzed company (`<slug>.example`). */
  companyDomain: string;
  /** Real `endCursor`s the queries answered, to page on with (and to tamper with). */
  cursors: string[];
}

export interface MutationFuzz {
  /** Who sends it: the roles that get past authorisation into the mutation's own validation. */
  as: readonly Actor[];
  /** Plausible values by argument path, from the world's pools; other arguments follow their type. */
  plausible?: (world: FuzzWorld) => Plausible;
  /**
   * Whole argument sets that pass validation more often than values drawn one by one (a rule
   * input, a claim with the item's current version); used for half of the calls.
   */
  args?: (world: FuzzWorld) => fc.Arbitrary<Record<string, unknown>>;
  /** Share of FUZZ_RUNS (mutations that hash passwords or make accounts run fewer times). */
  share?: number;
  /** Adds what a successful call created to the world's pools. */
  harvest?: (result: Record<string, unknown>, world: FuzzWorld) => void;
}

/** One element of a pool as it is when the value is generated (pools grow during the run). */
export const fromPool = (pool: () => readonly string[]): fc.Arbitrary<string> =>
  fc.nat().map((i) => {
    const values = pool();
    return values.length === 0 ? '00000000-0000-4000-8000-000000000000' : values[i % values.length];
  });

/** Jurisdictions the rule-set mutations work on: not the US, whose rules the posting fuzz relies on. */
/** vote and setVote take the same arguments. */
const VOTE_FUZZ: MutationFuzz = {
  as: ['member', 'member2'],
  plausible: (w) => ({
    contentId: fromPool(() => [...w.threadIds, ...w.commentIds]),
    value: fc.constantFrom(-1, 0, 1),
  }),
};

export const FUZZ_JURISDICTIONS = ['FR', 'JP', 'BR', 'DE', 'EU', 'US-CA', 'ZZ', 'us'] as const;
const jurisdiction = fc.constantFrom(...FUZZ_JURISDICTIONS);
/** Words the forum's active US and DE rules act on (HOLD, FLAG, REDACT, BLOCK, withheld in DE). */
export const TRIGGER_WORDS = ['holdword', 'flagword', 'redactword', 'blockword', 'withholdword'];
const postText = fc.oneof(
  { weight: 3, arbitrary: fc.lorem({ maxCount: 12 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.lorem({ maxCount: 5 }), fc.constantFrom(...TRIGGER_WORDS))
      .map(([text, word]) => `${text} ${word}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }) },
);
const clientMutationId = fc.oneof(fc.uuid(), fc.constantFrom('retry-1', 'retry-2', 'a'));
const slug = fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,6})?$/);
const domain = fc.oneof(
  fc.domain(),
  fc.constantFrom(
    'gmail.com',
    'mailinator.com',
    'example.org',
    'EXAMPLE.org',
    'xn--80ak6aa92e.com',
  ),
);
const email = (domains: fc.Arbitrary<string>) =>
  fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/), domains).map(([local, d]) => `${local}@${d}`);
const sixDigits = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));
const version = fc.integer({ min: 0, max: 8 });
const matcher = (): Plausible => ({
  'input.matcher.terms[]': fc.oneof(fc.lorem({ maxCount: 2 }), fc.constantFrom('罢工', 'a', 'ab')),
  'input.matcher.exclude[]': fc.lorem({ maxCount: 1 }),
  'input.matcher.pattern': fc.constantFrom(
    'fuzz[0-9]+',
    '(a+)+$',
    '(?i)secret',
    '\\bword\\b',
    '(?=lookahead)',
    '(a)\\1',
    '[',
    '',
    '.*',
    'x{1000}{1000}',
  ),
  'input.matcher.piiKinds[]': fc.constantFrom(
    'PHONE',
    'PHONE_CN_MOBILE',
    'PHONE_INTL',
    'EMAIL',
    'CN_RESIDENT_ID',
    'PASSPORT',
  ),
});
const words = fc.lorem({ maxCount: 3 }).map((text) => text.slice(0, 100) || 'rule');
/** A rule input the server should accept (or refuse for a reason of its own, e.g. a regex). */
const ruleInput = fc.record(
  {
    name: words,
    action: fc.constantFrom('BLOCK', 'HOLD', 'FLAG', 'WITHHOLD', 'REDACT'),
    explanation: fc.lorem({ maxCount: 8 }),
    legalBasis: words,
    enabled: fc.boolean(),
    boardKinds: fc.subarray(['COMPANY', 'PUBLIC']),
    fields: fc.subarray(['TITLE', 'BODY']),
    matcher: fc.oneof(
      fc.record({
        kind: fc.constant('KEYWORDS'),
        terms: fc.array(fc.oneof(fc.lorem({ maxCount: 1 }), fc.constantFrom('罢工', '職場')), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
      fc.record({
        kind: fc.constant('REGEX'),
        pattern: fc.constantFrom('fuzz[0-9]+', '(?i)secret', '(a+)+$', '(a)\\1', '(?=x)', '['),
      }),
      fc.record({
        kind: fc.constant('PII'),
        piiKinds: fc.subarray([
          'PHONE',
          'PHONE_CN_MOBILE',
          'PHONE_INTL',
          'EMAIL',
          'CN_RESIDENT_ID',
        ]),
      }),
      fc.record({
        kind: fc.constant('PROFANITY'),
        terms: fc.array(fc.lorem({ maxCount: 1 }), { maxLength: 2 }),
        exclude: fc.array(fc.lorem({ maxCount: 1 }), { maxLength: 2 }),
      }),
    ),
  },
  { requiredKeys: ['name', 'action', 'explanation', 'legalBasis', 'matcher'] },
);
/** A review item id with the version last seen (often current, so the call gets through). */
const itemWithVersion = (w: FuzzWorld) =>
  fromPool(() => w.reviewItemIds).map((id) => ({ id, version: w.reviewVersions[id] ?? 1 }));
const harvestItem =
  (field: string) =>
  (result: Record<string, unknown>, world: FuzzWorld): void => {
    const item = result[field] as { id?: unknown; version?: unknown } | null | undefined;
    if (typeof item?.id === 'string' && typeof item.version === 'number')
      world.reviewVersions[item.id] = item.version;
  };

const pushId =
  (pool: (w: FuzzWorld) => string[], ...path: string[]) =>
  (result: Record<string, unknown>, world: FuzzWorld): void => {
    let node: unknown = result;
    for (const key of path) node = (node as Record<string, unknown> | null)?.[key];
    if (typeof node === 'string') pool(world).push(node);
  };

/**
 * The committed argument generators, one per mutation of the schema. The fuzz spec fails when
 * the schema has a mutation without an entry here (or an entry names no mutation), so a new
 * mutation cannot go unfuzzed.
 */
export const MUTATION_FUZZ: Record<string, MutationFuzz> = {
  addCompanyDomain: {
    as: ['admin'],
    plausible: (w) => ({ companyId: fromPool(() => w.companyIds), domain }),
  },
  addRule: {
    as: ['officer', 'officer2'],
    plausible: (w) => ({ ruleSetId: fromPool(() => w.draftIds), ...matcher() }),
    args: (w) => fc.record({ ruleSetId: fromPool(() => w.draftIds), input: ruleInput }),
    harvest: pushId((w) => w.ruleIds, 'addRule', 'id'),
  },
  appeal: {
    as: ['member'],
    plausible: (w) => ({ contentId: fromPool(() => w.appealableIds) }),
  },
  bookmarkThread: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.threadIds), bookmark: fc.boolean() }),
  },
  changePassword: {
    // A new account each time: a change would end the fuzzing members' other sessions.
    as: ['disposable'],
    plausible: (w) => ({
      currentPassword: fc.constantFrom(w.password, 'not the password'),
      newPassword: fc.constantFrom('a new passphrase for the fuzz', 'short'),
    }),
    share: 0.15,
  },
  claimReviewItem: {
    as: ['moderator'],
    plausible: (w) => ({ id: fromPool(() => w.reviewItemIds), version }),
    args: itemWithVersion,
    harvest: harvestItem('claimReviewItem'),
  },
  createBoard: {
    as: ['admin'],
    plausible: () => ({ slug, jurisdiction }),
    harvest: pushId((w) => w.boardIds, 'createBoard', 'id'),
  },
  createComment: {
    as: ['member', 'member2'],
    plausible: (w) => ({
      'input.threadId': fromPool(() => w.threadIds),
      'input.parentId': fc.oneof(
        fc.constant(OMIT),
        fromPool(() => w.commentIds),
      ),
      'input.body': postText,
      'input.clientMutationId': clientMutationId,
    }),
    harvest: pushId((w) => w.commentIds, 'createComment', 'comment', 'id'),
  },
  createCompany: {
    as: ['admin'],
    plausible: () => ({ slug, 'domains[]': domain, jurisdiction }),
    harvest: pushId((w) => w.companyIds, 'createCompany', 'id'),
  },
  createRuleSetDraft: {
    as: ['officer', 'officer2'],
    plausible: () => ({ jurisdiction }),
    harvest: pushId((w) => w.draftIds, 'createRuleSetDraft', 'id'),
  },
  createThread: {
    as: ['member', 'member2'],
    plausible: (w) => ({
      'input.boardId': fromPool(() => w.boardIds),
      'input.title': postText,
      'input.body': postText,
      'input.clientMutationId': clientMutationId,
      'input.poll.question': postText,
      'input.poll.options[]': postText,
    }),
    harvest: (result, world) => {
      pushId((w) => w.threadIds, 'createThread', 'thread', 'id')(result, world);
      pushId((w) => w.pollIds, 'createThread', 'thread', 'poll', 'id')(result, world);
    },
  },
  decideReviewItem: {
    as: ['moderator'],
    plausible: (w) => ({
      'input.id': fromPool(() => w.reviewItemIds),
      'input.version': version,
      'input.reasonCode': fc.constantFrom('harassment', 'spam', 'other', 'nope'),
      'input.sanction.days': fc.integer({ min: 0, max: 40 }),
    }),
    args: (w) =>
      fc.record({
        input: fc
          .tuple(
            itemWithVersion(w),
            fc.constantFrom('APPROVE', 'REJECT', 'IGNORE'),
            fc.constantFrom('harassment', 'spam', 'other'),
            fc.option(fc.lorem({ maxCount: 6 }), { nil: undefined }),
            fc.option(
              fc.record(
                {
                  kind: fc.constantFrom('WARNING', 'SUSPENSION', 'BAN'),
                  days: fc.integer({ min: 1, max: 30 }),
                },
                { requiredKeys: ['kind'] },
              ),
              { nil: undefined },
            ),
          )
          .map(([item, decision, reasonCode, note, sanction]) => ({
            ...item,
            decision,
            ...(decision === 'REJECT' ? { reasonCode } : {}),
            ...(note === undefined ? {} : { note }),
            ...(decision === 'REJECT' && sanction !== undefined ? { sanction } : {}),
          })),
      }),
    harvest: harvestItem('decideReviewItem'),
  },
  decideReviewItems: {
    as: ['moderator'],
    plausible: (w) => ({
      'inputs[].id': fromPool(() => w.reviewItemIds),
      'inputs[].version': version,
      'inputs[].reasonCode': fc.constantFrom('harassment', 'spam', 'other', 'nope'),
      'inputs[].sanction.days': fc.integer({ min: 0, max: 40 }),
    }),
    args: (w) =>
      fc.record({
        inputs: fc.array(
          fc
            .tuple(
              itemWithVersion(w),
              fc.constantFrom('APPROVE', 'REJECT', 'IGNORE'),
              fc.constantFrom('harassment', 'spam', 'other'),
            )
            .map(([item, decision, reasonCode]) => ({
              ...item,
              decision,
              ...(decision === 'REJECT' ? { reasonCode } : {}),
            })),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    harvest: (result, world) => {
      const items = result.decideReviewItems;
      if (!Array.isArray(items)) return;
      for (const item of items as Array<{ id?: unknown; version?: unknown }>) {
        if (typeof item.id === 'string' && typeof item.version === 'number')
          world.reviewVersions[item.id] = item.version;
      }
    },
  },
  deleteAccount: {
    as: ['disposable'],
    plausible: (w) => ({ password: fc.constantFrom(w.password, 'not the password') }),
    share: 0.2,
  },
  deleteComment: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.commentIds) }),
  },
  deleteThread: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.threadIds) }),
  },
  editComment: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.commentIds), body: postText }),
  },
  editThread: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.threadIds), title: postText, body: postText }),
  },
  followThread: {
    as: ['member', 'member2'],
    plausible: (w) => ({ id: fromPool(() => w.threadIds), follow: fc.boolean() }),
  },
  grantRole: {
    as: ['admin'],
    plausible: (w) => ({ email: fc.constantFrom(w.targetEmail, 'nobody@example.org') }),
  },
  leaveCompany: {
    // A new account each time: leaving would change what the fuzzing members may read.
    as: ['disposable'],
    plausible: (w) => ({ companyId: fromPool(() => w.companyIds) }),
    share: 0.15,
  },
  markNotificationsRead: {
    as: ['member', 'member2'],
    plausible: (w) => ({ 'ids[]': fromPool(() => w.notificationIds) }),
  },
  publishRuleSet: {
    as: ['officer2', 'officer'],
    plausible: (w) => ({ ruleSetId: fromPool(() => w.draftIds) }),
  },
  removeRule: {
    as: ['officer', 'officer2'],
    plausible: (w) => ({ ruleId: fromPool(() => w.ruleIds) }),
  },
  report: {
    as: ['member2', 'member'],
    plausible: (w) => ({ contentId: fromPool(() => [...w.threadIds, ...w.commentIds]) }),
  },
  requestEmailCode: {
    as: ['visitor'],
    plausible: (w) => ({
      email: email(fc.constantFrom(w.companyDomain, 'example.org', 'gmail.com')),
    }),
    share: 0.5,
  },
  resetPassword: {
    as: ['visitor'],
    plausible: (w) => ({
      email: fc.constantFrom(...w.knownEmails, 'nobody@example.org'),
      code: sixDigits,
      newPassword: fc.constantFrom('a new passphrase for the fuzz', 'short'),
    }),
    share: 0.3,
  },
  revokeRole: {
    as: ['admin'],
    plausible: (w) => ({ email: fc.constantFrom(w.targetEmail, 'nobody@example.org') }),
  },
  rollbackRuleSet: {
    as: ['officer', 'officer2'],
    plausible: () => ({ jurisdiction, toVersion: version }),
    // DE has versions 1 and 2 from the setup (and maybe more from the fuzzed publications).
    args: () =>
      fc.record({
        jurisdiction: fc.constantFrom('DE', 'FR'),
        toVersion: fc.integer({ min: 1, max: 3 }),
      }),
  },
  scopeModerator: {
    as: ['admin'],
    plausible: (w) => ({
      email: fc.constantFrom(w.targetEmail, 'nobody@example.org'),
      companyId: fromPool(() => w.companyIds),
    }),
  },
  setVote: VOTE_FUZZ,
  setJurisdiction: {
    as: ['member2', 'officer2'],
    plausible: () => ({ code: fc.constantFrom('US', 'DE', 'FR', 'US-CA', 'EU', 'ZZ', 'de') }),
  },
  signIn: {
    as: ['visitor'],
    plausible: (w) => ({
      email: fc.constantFrom(...w.knownEmails, 'nobody@example.org'),
      password: fc.constantFrom(w.password, 'not the password'),
    }),
    share: 0.3,
  },
  signOut: { as: ['disposable'], share: 0.15 },
  signUp: {
    as: ['visitor'],
    plausible: (w) => ({
      email: email(fc.constantFrom('example.org', w.companyDomain)),
      code: sixDigits,
      password: fc.constantFrom(w.password, 'short'),
      jurisdiction: fc.constantFrom('US', 'DE', 'ZZ'),
    }),
    share: 0.3,
  },
  updateRule: {
    as: ['officer', 'officer2'],
    plausible: (w) => ({ ruleId: fromPool(() => w.ruleIds), ...matcher() }),
    args: (w) => fc.record({ ruleId: fromPool(() => w.ruleIds), input: ruleInput }),
  },
  verifyEmployer: {
    as: ['member2'],
    plausible: (w) => ({
      email: email(fc.constantFrom(w.companyDomain, 'gmail.com', 'unknown-corp.example')),
      code: sixDigits,
    }),
  },
  vote: VOTE_FUZZ,
  votePoll: {
    as: ['member', 'member2'],
    plausible: (w) => ({
      pollId: fromPool(() => w.pollIds),
      'optionIds[]': fromPool(() => w.pollOptionIds),
    }),
  },
};
