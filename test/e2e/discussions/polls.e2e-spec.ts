import { randomBytes } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import { OPERATOR_ACTOR } from '../../../src/audit/audit-trail.service';
import { AccountsService } from '../../../src/identity/accounts/accounts.service';
import { Role } from '../../../src/infrastructure/auth/role';
import { NO_RATE_LIMITS } from '../../../src/infrastructure/rate-limit/no-rate-limits';
import type { DataSource } from 'typeorm';
import { PollClosing } from '../../../src/discussions/polls/poll-closing.service';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { PollEntity, PollOptionEntity, PollVoteEntity } from '../../../src/posts/poll.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  suspendMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { countStatements } from '../../utils/sql-statements';
import { SmtpPeer } from '../../utils/smtp-peer';
import { createTestApp } from '../../utils/test-app';
import { createTestStores, onPostgres, type TestStores } from '../../utils/test-env';
import type { GraphqlResponse } from '../../utils/test-app';
import { outboxDrained } from '../../utils/domain-events';
import { waitFor } from '../../utils/wait';

const BLOCKED_WORD = 'forbiddenpollword';
const HELD_WORD = 'heldpollword';
const REDACTED_WORD = 'maskedpollword';
const MIN_VOTERS = 3;

interface PollOption {
  id: string;
  text: string;
  votes: number | null;
}
interface Poll {
  id: string;
  question: string;
  options: PollOption[];
  multipleChoice: boolean;
  closesAt: string | null;
  closed: boolean;
  totalVotes: number;
  viewerChoice: string[] | null;
}
interface PollInput {
  question: string;
  options: string[];
  multipleChoice?: boolean;
  closesAt?: string;
}

const POLL =
  'poll { id question options { id text votes } multipleChoice closesAt closed totalVotes viewerChoice }';
const CREATE = `mutation ($b: ID!, $t: String!, $body: String!, $p: PollInput) {
  createThread(input: { boardId: $b, title: $t, body: $body, poll: $p }) { thread { id status ${POLL} } } }`;
const THREAD = `query ($id: ID!) { thread(id: $id) { id ${POLL} } }`;
const VOTE = `mutation ($p: ID!, $o: [ID!]!) { votePoll(pollId: $p, optionIds: $o) {
  id options { id text votes } closed totalVotes viewerChoice } }`;
const NOTIFICATIONS = '{ notifications { kind message contentId } }';

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;
const reasonOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.reason;

describe('polls in threads (createThread poll, Thread.poll, votePoll, POLL_CLOSED)', () => {
  let env: IdentityTestApp;
  let general: string;
  let initechBoard: string;
  let author: SignedInClient;
  let voters: SignedInClient[];
  let globex: SignedInClient;
  let unverified: SignedInClient;
  let officer: SignedInClient;
  let second: SignedInClient;

  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
  const rows = async () => ({
    threads: await content().getRepository(ThreadEntity).count(),
    polls: await content().getRepository(PollEntity).count(),
    options: await content().getRepository(PollOptionEntity).count(),
  });
  const create = (by: SignedInClient, poll: PollInput | null, board = general, body = 'Body') =>
    by.gql<{ createThread: { thread: { id: string; status: string; poll: Poll | null } } }>(
      CREATE,
      { b: board, t: 'A question for all', body, p: poll },
    );
  const createPoll = async (poll: PollInput, board = general) =>
    (await dataOf(create(author, poll, board))).createThread.thread;
  const read = async (who: SignedInClient | null, threadId: string): Promise<Poll | null> => {
    const res =
      who === null
        ? await env.app.gql<{ thread: { poll: Poll | null } | null }>(THREAD, { id: threadId })
        : await who.gql<{ thread: { poll: Poll | null } | null }>(THREAD, { id: threadId });
    return (await dataOf(Promise.resolve(res))).thread?.poll ?? null;
  };
  const vote = (who: SignedInClient, pollId: string, optionIds: string[]) =>
    who.gql<{ votePoll: Poll }>(VOTE, { p: pollId, o: optionIds });
  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({
      VISITOR_CACHE_MS: '0',
      POLL_RESULTS_MIN_VOTERS: String(MIN_VOTERS),
      POLL_CLOSE_SWEEP_SECONDS: '1',
    });
    general = await createGeneralBoard(env.admin);
    const member = async (email: string) => {
      const client = await signUpMember(env.app, env.smtp);
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    author = await member('author@initech.example');
    voters = [];
    for (const name of ['one', 'two', 'three', 'four'])
      voters.push(await member(`${name}@initech.example`));
    globex = await member('hank@globex.example');
    unverified = await signUpMember(env.app, env.smtp);
    initechBoard = (
      await dataOf(
        author.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
      )
    ).boards.find((b) => b.kind === 'COMPANY')!.id;
    [officer, second] = [
      await signUpMember(env.app, env.smtp),
      await signUpMember(env.app, env.smtp),
    ];
    await grantOfficers(env.admin, [officer, second]);
    const draft = await draftRuleSet(officer, 'US', [
      {
        name: 'Blocked poll words',
        matcher: { kind: 'KEYWORDS', terms: [BLOCKED_WORD] },
        action: 'BLOCK',
        legalBasis: 'Example',
        explanation: 'Blocked.',
      },
      {
        name: 'Masked poll words',
        matcher: { kind: 'KEYWORDS', terms: [REDACTED_WORD] },
        action: 'REDACT',
        legalBasis: 'Example',
        explanation: 'Masked.',
      },
      {
        name: 'Held poll words',
        matcher: { kind: 'KEYWORDS', terms: [HELD_WORD] },
        action: 'HOLD',
        legalBasis: 'Example',
        explanation: 'Held.',
      },
    ]);
    await publishRuleSet(second, draft);
  }, 300_000);
  afterAll(async () => env?.close());

  it('creates a thread with a poll, trimmed, counts hidden, nobody voted yet', async () => {
    const closesAt = inSeconds(3600);
    const thread = await createPoll({
      question: '  Where should the offsite be?  ',
      options: [' Lisbon ', 'Berlin', 'Online'],
      closesAt,
    });
    expect(thread.status).toBe('PUBLISHED');
    expect(thread.poll).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      question: 'Where should the offsite be?',
      options: ['Lisbon', 'Berlin', 'Online'].map((text) => ({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        text,
        votes: null,
      })),
      multipleChoice: false,
      closesAt: expect.any(String),
      closed: false,
      totalVotes: 0,
      viewerChoice: null,
    });
    expect(Math.abs(Date.parse(thread.poll!.closesAt!) - Date.parse(closesAt))).toBeLessThan(1000);
    // The same poll to another member and to a visitor; a thread without a poll has none.
    expect(await read(voters[0], thread.id)).toEqual(thread.poll);
    expect(await read(null, thread.id)).toEqual(thread.poll);
    const plain = (await dataOf(create(author, null))).createThread.thread;
    expect(plain.poll).toBeNull();
  });

  it('refuses bad polls with BAD_USER_INPUT and a reason, writing nothing', async () => {
    const before = await rows();
    const options = (n: number) => Array.from({ length: n }, (_, i) => `Option ${i}`);
    const cases: Array<[PollInput, string, string]> = [
      [{ question: 'Q', options: options(1) }, 'poll.options', 'POLL_OPTION_COUNT'],
      [{ question: 'Q', options: options(11) }, 'poll.options', 'POLL_OPTION_COUNT'],
      [{ question: 'Q', options: ['Yes', '   '] }, 'poll.options', 'POLL_OPTION_LENGTH'],
      [{ question: 'Q', options: ['Yes', 'x'.repeat(101)] }, 'poll.options', 'POLL_OPTION_LENGTH'],
      [{ question: 'Q', options: ['Yes', ' yES '] }, 'poll.options', 'POLL_OPTION_DUPLICATE'],
      [{ question: ' ', options: options(2) }, 'poll.question', 'POLL_QUESTION_LENGTH'],
      [{ question: 'q'.repeat(301), options: options(2) }, 'poll.question', 'POLL_QUESTION_LENGTH'],
      [
        { question: 'Q', options: options(2), closesAt: inSeconds(-60) },
        'poll.closesAt',
        'POLL_CLOSES_AT_PAST',
      ],
      [
        { question: 'Q', options: options(2), closesAt: inSeconds(367 * 86_400) },
        'poll.closesAt',
        'POLL_CLOSES_AT_TOO_FAR',
      ],
    ];
    for (const [poll, field, reason] of cases) {
      const res = await create(author, poll);
      expect({ code: codeOf(res), reason: reasonOf(res) }).toEqual({
        code: 'BAD_USER_INPUT',
        reason,
      });
      expect(res.errors?.[0]?.extensions?.fields).toEqual([field]);
    }
    // The largest poll allowed is accepted.
    await createPoll({ question: 'q'.repeat(300), options: options(10) });
    const after = await rows();
    expect(after).toEqual({
      threads: before.threads + 1,
      polls: before.polls + 1,
      options: before.options + 10,
    });
  });

  it('takes one final single-choice vote per person, counts hidden until enough have voted', async () => {
    const thread = await createPoll({ question: 'Tabs or spaces?', options: ['Tabs', 'Spaces'] });
    const [tabs, spaces] = thread.poll!.options.map((o) => o.id);
    const pollId = thread.poll!.id;

    for (const [choice, reason] of [
      [[tabs, spaces], 'POLL_CHOICE_COUNT'],
      [[], 'POLL_CHOICE_COUNT'],
      [['00000000-0000-4000-8000-000000000000'], 'POLL_CHOICE_UNKNOWN'],
    ] as const) {
      const res = await vote(voters[0], pollId, [...choice]);
      expect({ code: codeOf(res), reason: reasonOf(res) }).toEqual({
        code: 'BAD_USER_INPUT',
        reason,
      });
    }
    expect((await read(voters[0], thread.id))!.totalVotes).toBe(0);

    const first = (await dataOf(vote(voters[0], pollId, [tabs]))).votePoll;
    expect(first).toMatchObject({ totalVotes: 1, viewerChoice: [tabs], closed: false });
    // Below the minimum of voters: hidden even from the voter.
    expect(first.options.map((o) => o.votes)).toEqual([null, null]);
    // A vote is final.
    const again = await vote(voters[0], pollId, [spaces]);
    expect({ code: codeOf(again), reason: reasonOf(again) }).toEqual({
      code: 'CONFLICT',
      reason: 'POLL_ALREADY_VOTED',
    });
    expect((await read(voters[0], thread.id))!.viewerChoice).toEqual([tabs]);

    await dataOf(vote(voters[1], pollId, [spaces]));
    const third = (await dataOf(vote(voters[2], pollId, [tabs]))).votePoll;
    expect(third.totalVotes).toBe(MIN_VOTERS);
    expect(third.options.map((o) => o.votes)).toEqual([2, 1]);
    // Each voter sees the counts and their own choice; who did not vote sees neither.
    expect(await read(voters[1], thread.id)).toMatchObject({
      viewerChoice: [spaces],
      totalVotes: 3,
      options: [{ votes: 2 }, { votes: 1 }],
    });
    for (const who of [author, voters[3], null]) {
      const seen = await read(who, thread.id);
      expect(seen).toMatchObject({ viewerChoice: null, totalVotes: 3 });
      expect(seen!.options.map((o) => o.votes)).toEqual([null, null]);
    }
    // The store holds the votes under tokens only: one row per voter, none naming an account.
    const stored = await content().getRepository(PollVoteEntity).findBy({ pollId });
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((v) => v.voterToken)).size).toBe(3);
  });

  it('counts one vote when the same person votes twice at once', async () => {
    const thread = await createPoll({ question: 'Race?', options: ['A', 'B'] });
    const [a, b] = thread.poll!.options.map((o) => o.id);
    const answers = await Promise.all([
      vote(voters[3], thread.poll!.id, [a]),
      vote(voters[3], thread.poll!.id, [b]),
      vote(voters[3], thread.poll!.id, [a]),
    ]);
    expect(answers.filter((res) => res.errors === undefined)).toHaveLength(1);
    for (const res of answers.filter((r) => r.errors !== undefined))
      expect(reasonOf(res)).toBe('POLL_ALREADY_VOTED');
    expect((await read(voters[3], thread.id))!.totalVotes).toBe(1);
    const stored = await content()
      .getRepository(PollOptionEntity)
      .findBy({ pollId: thread.poll!.id });
    expect(stored.reduce((sum, o) => sum + o.votes, 0)).toBe(1);
  });

  it('stores votes as a token and an option only, in token order', async () => {
    const thread = await createPoll({ question: 'Order?', options: ['A', 'B'] });
    const pollId = thread.poll!.id;
    for (const voter of voters.slice(0, 3))
      await dataOf(vote(voter, pollId, [thread.poll!.options[0].id]));
    const table = content().getMetadata(PollVoteEntity).tablePath;
    const path = table.includes('.')
      ? table
          .split('.')
          .map((part) => `"${part}"`)
          .join('.')
      : `"${table}"`;
    const rows = await content().query<Array<Record<string, string>>>(
      onPostgres()
        ? `SELECT * FROM ${path} WHERE poll_id = $1`
        : `SELECT * FROM ${path} NOT INDEXED WHERE poll_id = ?`,
      [pollId],
    );
    expect(Object.keys(rows[0]).sort()).toEqual(['option_id', 'poll_id', 'voter_token']);
    const tokens = rows.map((r) => r.voter_token);
    expect(new Set(tokens).size).toBe(3);
    // SQLite: WITHOUT ROWID, so the file holds the rows in key order, not in the order of votes.
    if (!onPostgres()) expect(tokens).toEqual([...tokens].sort());
  });

  it('takes multiple-choice votes of distinct options and counts people once', async () => {
    const thread = await createPoll({
      question: 'Which days suit you?',
      options: ['Monday', 'Tuesday', 'Wednesday'],
      multipleChoice: true,
    });
    const [mon, tue, wed] = thread.poll!.options.map((o) => o.id);
    const pollId = thread.poll!.id;
    expect(thread.poll!.multipleChoice).toBe(true);
    for (const [choice, reason] of [
      [[], 'POLL_CHOICE_COUNT'],
      [[mon, mon], 'POLL_CHOICE_DUPLICATE'],
      [[mon, 'nope'], 'POLL_CHOICE_UNKNOWN'],
    ] as const) {
      const res = await vote(voters[0], pollId, [...choice]);
      expect({ code: codeOf(res), reason: reasonOf(res) }).toEqual({
        code: 'BAD_USER_INPUT',
        reason,
      });
    }
    // The choice comes back in the poll's order, whatever order it was given in.
    expect((await dataOf(vote(voters[0], pollId, [wed, mon]))).votePoll.viewerChoice).toEqual([
      mon,
      wed,
    ]);
    await dataOf(vote(voters[1], pollId, [tue]));
    const last = (await dataOf(vote(voters[2], pollId, [mon, tue, wed]))).votePoll;
    expect(last.totalVotes).toBe(3);
    expect(last.options.map((o) => o.votes)).toEqual([2, 2, 2]);
    // The author may vote in their own poll, as they may comment in their own thread.
    expect((await dataOf(vote(author, pollId, [tue]))).votePoll.totalVotes).toBe(4);
  });

  it('closes: results shown to all (above the minimum), no more votes, POLL_CLOSED to the author once', async () => {
    const closing = await createPoll({
      question: 'Quick one?',
      options: ['Yes', 'No'],
      closesAt: inSeconds(6),
    });
    const small = await createPoll({
      question: 'Small one?',
      options: ['Yes', 'No'],
      closesAt: inSeconds(6),
    });
    const [yes, no] = closing.poll!.options.map((o) => o.id);
    await dataOf(vote(voters[0], closing.poll!.id, [yes]));
    await dataOf(vote(voters[1], closing.poll!.id, [yes]));
    await dataOf(vote(voters[2], closing.poll!.id, [no]));
    await dataOf(vote(voters[0], small.poll!.id, [small.poll!.options[0].id]));

    const closed = await waitFor('the poll to close', async () => {
      const poll = await read(author, closing.id);
      return poll?.closed === true ? poll : null;
    });
    // Closed and enough voters: everyone sees the counts, voters or not.
    expect(closed.options.map((o) => o.votes)).toEqual([2, 1]);
    expect((await read(null, closing.id))!.options.map((o) => o.votes)).toEqual([2, 1]);
    const late = await vote(voters[3], closing.poll!.id, [no]);
    expect({ code: codeOf(late), reason: reasonOf(late) }).toEqual({
      code: 'CONFLICT',
      reason: 'POLL_CLOSED',
    });
    // Closed but below the minimum: hidden from everyone, the voter too.
    const smallClosed = await waitFor('the small poll to close', async () => {
      const poll = await read(voters[0], small.id);
      return poll?.closed === true ? poll : null;
    });
    expect(smallClosed.viewerChoice).toEqual([small.poll!.options[0].id]);
    expect(smallClosed.options.map((o) => o.votes)).toEqual([null, null]);

    const told = await waitFor('both POLL_CLOSED notifications', async () => {
      const list = (
        await dataOf(
          author.gql<{
            notifications: Array<{ kind: string; message: string; contentId: string }>;
          }>(NOTIFICATIONS),
        )
      ).notifications.filter((n) => n.kind === 'POLL_CLOSED');
      return list.length >= 2 ? list : null;
    });
    expect(told.map((n) => n.contentId).sort()).toEqual([closing.id, small.id].sort());
    expect(told[0].message).toMatch(/poll/i);
    // Announced once: more looks at once (as other instances' would) find nothing to announce.
    const sweeper = env.app.app.get(PollClosing);
    expect(await Promise.all([sweeper.sweep(), sweeper.sweep()])).toEqual([0, 0]);
    const polls = await content()
      .getRepository(PollEntity)
      .findBy([{ id: closing.poll!.id }, { id: small.poll!.id }]);
    expect(polls.map((p) => p.closeAnnounced)).toEqual([true, true]);
    // Racing looks at a due closing (instances started together): one of them announces it.
    await content()
      .getRepository(PollEntity)
      .update({ id: closing.poll!.id }, { closeAnnounced: false });
    const raced = await Promise.all([sweeper.sweep(), sweeper.sweep(), sweeper.sweep()]);
    expect(raced.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    await outboxDrained(env.app.app);
    const closingNotices = await waitFor('the second announcement', async () => {
      const list = (
        await dataOf(
          author.gql<{ notifications: Array<{ kind: string; contentId: string }> }>(NOTIFICATIONS),
        )
      ).notifications.filter((n) => n.kind === 'POLL_CLOSED' && n.contentId === closing.id);
      return list.length >= 2 ? list : null;
    });
    expect(closingNotices).toHaveLength(2);
    // Voters are not notified.
    const voterKinds = (
      await dataOf(voters[0].gql<{ notifications: Array<{ kind: string }> }>(NOTIFICATIONS))
    ).notifications.map((n) => n.kind);
    expect(voterKinds).not.toContain('POLL_CLOSED');
  });

  it('judges the poll with the thread: a blocked option blocks it, a masked word is masked, a held one holds it', async () => {
    const before = await rows();
    const blocked = await create(author, {
      question: 'Which one?',
      options: ['Fine', `Some ${BLOCKED_WORD}`],
    });
    expect(codeOf(blocked)).toBe('CONTENT_BLOCKED');
    const blockedQuestion = await create(author, {
      question: `About ${BLOCKED_WORD}?`,
      options: ['Yes', 'No'],
    });
    expect(codeOf(blockedQuestion)).toBe('CONTENT_BLOCKED');
    expect(await rows()).toEqual(before);

    const masked = await createPoll({
      question: `Is ${REDACTED_WORD} fine?`,
      options: ['Fine', `A ${REDACTED_WORD}`],
    });
    const stars = '*'.repeat(REDACTED_WORD.length);
    expect(masked.status).toBe('PUBLISHED');
    expect(masked.poll!.question).toBe(`Is ${stars} fine?`);
    expect(masked.poll!.options.map((o) => o.text)).toEqual(['Fine', `A ${stars}`]);
    expect((await read(voters[0], masked.id))!.options[1].text).toBe(`A ${stars}`);

    const held = await createPoll({ question: 'Which one?', options: ['Fine', `A ${HELD_WORD}`] });
    expect(held.status).toBe('HELD');
    expect(held.poll!.options[1].text).toBe(`A ${HELD_WORD}`);
    // Not public: others do not see it, and cannot vote in it.
    expect(await read(voters[0], held.id)).toBeNull();
    expect(codeOf(await vote(voters[0], held.poll!.id, [held.poll!.options[0].id]))).toBe(
      'NOT_FOUND',
    );
  });

  it("shows a rule's impact preview the text of past polls", async () => {
    const word = 'pollpreviewword';
    const since = new Date(Date.now() - 60_000).toISOString();
    const thread = await createPoll({ question: 'Plain?', options: ['Plain', `A ${word}`] });
    const draft = await draftRuleSet(
      officer,
      'US',
      [
        {
          name: 'Preview words',
          matcher: { kind: 'KEYWORDS', terms: [word] },
          action: 'HOLD',
          legalBasis: 'Example',
          explanation: 'Held.',
        },
      ],
      true,
    );
    const { previewRuleSetImpact: preview } = await dataOf(
      officer.gql<{
        previewRuleSetImpact: { samples: Array<{ contentId: string; before: string }> };
      }>(
        'query ($id: ID!, $since: DateTime!) { previewRuleSetImpact(ruleSetId: $id, since: $since) { samples { contentId before } } }',
        { id: draft, since },
      ),
    );
    const sample = preview.samples.find((s) => s.contentId === thread.id);
    expect(sample?.before).toContain(`A ${word}`);
    // Unrelated threads of the same time are not changed by it.
    expect(preview.samples.map((s) => s.contentId)).toEqual([thread.id]);
  });

  it('lets only those who may comment vote; what they cannot see is NOT_FOUND', async () => {
    const open = await createPoll({ question: 'Public?', options: ['A', 'B'] });
    const company = await createPoll({ question: 'Company?', options: ['A', 'B'] }, initechBoard);
    const choice = (t: typeof open) => [t.poll!.options[0].id];

    const visitor = await env.app.gql(VOTE, { p: open.poll!.id, o: choice(open) });
    expect(codeOf(visitor)).toBe('UNAUTHENTICATED');
    // Another company's board: the thread, so the poll, does not exist for them.
    expect(await read(globex, company.id)).toBeNull();
    expect(codeOf(await vote(globex, company.poll!.id, choice(company)))).toBe('NOT_FOUND');
    expect(codeOf(await vote(globex, '00000000-0000-4000-8000-000000000000', ['x']))).toBe(
      'NOT_FOUND',
    );
    // A public board: reading is open, voting (like commenting) needs a verified employer.
    expect(await read(unverified, open.id)).not.toBeNull();
    expect(codeOf(await vote(unverified, open.poll!.id, choice(open)))).toBe('FORBIDDEN');
    // Another company's member may vote on a public board, as they may comment there.
    expect((await dataOf(vote(globex, open.poll!.id, choice(open)))).votePoll.totalVotes).toBe(1);
    // Suspended: refused as a comment would be.
    const suspended = voters[3];
    await suspendMember(env.app, suspended);
    expect(codeOf(await vote(suspended, open.poll!.id, choice(open)))).toBe('FORBIDDEN');
    expect((await read(null, open.id))!.totalVotes).toBe(1);
  });

  it('resolves polls on a feed in batches: the statements do not grow with the page', async () => {
    const HOME = `query ($first: Int!) { home(first: $first, order: NEW) { edges { node { id ${POLL} } } } }`;
    for (let i = 0; i < 4; i++) await createPoll({ question: `Feed ${i}?`, options: ['A', 'B'] });
    // The closing sweep (every second here) adds statements when it runs during a request:
    // the fewest of three is the page's own count.
    const statements = async (first: number) => {
      const counts: number[] = [];
      for (let i = 0; i < 3; i++)
        counts.push(await countStatements(env.app, () => dataOf(voters[0].gql(HOME, { first }))));
      return Math.min(...counts);
    };
    const small = await statements(2);
    const large = await statements(6);
    expect(large).toBe(small);
    const page = await dataOf(
      voters[0].gql<{ home: { edges: Array<{ node: { poll: Poll | null } }> } }>(HOME, {
        first: 6,
      }),
    );
    expect(page.home.edges.filter((e) => e.node.poll !== null).length).toBeGreaterThanOrEqual(4);
  });

  it('deletes the poll, its options and its votes with the thread', async () => {
    const thread = await createPoll({ question: 'Gone soon?', options: ['A', 'B'] });
    await dataOf(vote(voters[0], thread.poll!.id, [thread.poll!.options[0].id]));
    await dataOf(author.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: thread.id }));
    expect(await read(author, thread.id)).toBeNull();
    const pollId = thread.poll!.id;
    expect(await content().getRepository(PollEntity).countBy({ id: pollId })).toBe(0);
    expect(await content().getRepository(PollOptionEntity).countBy({ pollId })).toBe(0);
    expect(await content().getRepository(PollVoteEntity).countBy({ pollId })).toBe(0);
  });
});

describe('a poll vote through a key rotation', () => {
  const smtp = new SmtpPeer();
  let stores: TestStores;

  beforeAll(async () => smtp.start());
  afterAll(async () => {
    await smtp.stop();
    await stores?.dispose();
  });

  it('still counts the vote cast under the previous key as the one vote', async () => {
    stores = createTestStores();
    const oldSecret = randomBytes(32).toString('base64');
    const newSecret = randomBytes(32).toString('base64');
    const env = { SMTP_URL: smtp.url, ...NO_RATE_LIMITS };
    const before = await createTestApp({ ...env, APP_SECRET: oldSecret }, [], stores);
    const admin = await signUpMember(before, smtp);
    await before.app.get(AccountsService).grantRole(admin.email, Role.ADMIN, OPERATOR_ACTOR);
    await dataOf(
      admin.gql(
        'mutation { createCompany(name: "Initech", slug: "initech", domains: ["initech.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
      ),
    );
    const board = await createGeneralBoard(admin);
    const member = await signUpMember(before, smtp, { password: 'a password that lasts' });
    await dataOf(verifyEmployer(before, smtp, member, 'rotating@initech.example'));
    const { createThread } = await dataOf(
      member.gql<{ createThread: { thread: { id: string; poll: Poll } } }>(CREATE, {
        b: board,
        t: 'Before the rotation',
        body: 'Body',
        p: { question: 'Which?', options: ['A', 'B'] },
      }),
    );
    const { id: threadId, poll } = createThread.thread;
    await dataOf(member.gql(VOTE, { p: poll.id, o: [poll.options[0].id] }));
    await before.close();

    const during = await createTestApp(
      { ...env, APP_SECRET: newSecret, APP_SECRET_PREVIOUS: oldSecret },
      [],
      stores,
    );
    try {
      const { signIn } = await dataOf(
        during.gql<{ signIn: { token: string } }>(
          'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
          { e: member.email, p: member.password },
        ),
      );
      const auth = { authorization: `Bearer ${signIn.token}` };
      const again = await during.gql(VOTE, { p: poll.id, o: [poll.options[1].id] }, auth);
      expect({ code: codeOf(again), reason: reasonOf(again) }).toEqual({
        code: 'CONFLICT',
        reason: 'POLL_ALREADY_VOTED',
      });
      const seen = await dataOf(
        during.gql<{ thread: { poll: Poll } }>(THREAD, { id: threadId }, auth),
      );
      expect(seen.thread.poll).toMatchObject({
        totalVotes: 1,
        viewerChoice: [poll.options[0].id],
      });
    } finally {
      await during.close();
    }
  });
});
