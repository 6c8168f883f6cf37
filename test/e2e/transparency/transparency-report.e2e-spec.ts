import type { EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { TransactionRunner } from '../../../src/infrastructure/database/transaction-runner';
import { ReportEntity, ReviewItemEntity } from '../../../src/moderation/review.entity';
import { ComplianceActionCountEntity } from '../../../src/compliance/enforcement/compliance-action-count.entity';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { runTs } from '../../utils/run-ts';
import type { GraphqlResponse } from '../../utils/test-app';
import { waitFor } from '../../utils/wait';
import { retroactiveRunDone } from '../../utils/domain-events';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The scripted month: April 2025, 30 days. */
const MONTH_FROM = Date.UTC(2025, 3, 1);
const MONTH_TO = Date.UTC(2025, 4, 1);
/** Days (from April 1) that get activity: the day before the month, days in it, the day after. */
const PHASE_DAYS = [-1, 0, 6, 14, 21, 29, 30];
/** The phase in which FR rules are published retroactively. */
const RETRO_PHASE = 3;
/** The phase whose first decided item is recorded as never queued (no queued_at). */
const UNQUEUED_PHASE = 2;
/** Rows with a time after this are the current phase's (everything rewritten lies before it). */
const CUTOFF = Date.UTC(2025, 5, 1);

const REPORT = `query ($from: DateTime!, $to: DateTime!) {
  transparencyReport(from: $from, to: $to) {
    from to
    byJurisdiction { key count } byAction { key count } byDecision { key count } byReportReason { key count }
    medianSecondsToDecision
  }
}`;
const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } notices { jurisdiction action } }
}`;
const EDIT_THREAD = `mutation ($id: ID!, $body: String!) {
  editThread(id: $id, body: $body) { thread { id } notices { jurisdiction action } }
}`;
const QUEUE = `query ($f: ReviewQueueFilter) {
  reviewQueue(filter: $f, first: 100) { edges { node { id version content { ... on Thread { id } ... on Comment { id } } } } }
}`;
const DECIDE = `mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { id kind status } }`;
const REPORT_POST = 'mutation ($c: ID!, $r: ReportReason!) { report(contentId: $c, reason: $r) }';
const APPEAL = 'mutation ($c: ID!) { appeal(contentId: $c, statement: "Please look again.") }';

interface CountBy {
  key: string;
  count: number;
}
interface Report {
  from: string;
  to: string;
  byJurisdiction: CountBy[];
  byAction: CountBy[];
  byDecision: CountBy[];
  byReportReason: CountBy[];
  medianSecondsToDecision: number | null;
}
interface Notice {
  jurisdiction: string;
  action: string;
}
interface QueueItem {
  id: string;
  version: number;
  content: { id: string } | null;
}

/** Largest count first, then by key. */
function sortCounts(tally: Map<string, number>): CountBy[] {
  return [...tally]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function tallyOf(keys: readonly string[]): Map<string, number> {
  const tally = new Map<string, number>();
  for (const key of keys) tally.set(key, (tally.get(key) ?? 0) + 1);
  return tally;
}

const noticeKeys = (notices: readonly Notice[]) =>
  notices.map((n) => `${n.jurisdiction} ${n.action}`).sort();

describe('transparencyReport (SPEC §6)', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let author: SignedInClient;
  let authorCN: SignedInClient;
  let moderatorA: SignedInClient;
  let moderatorB: SignedInClient;
  let reporters: SignedInClient[];
  let boardId: string;

  /** The test's own tally, with the times it gave each row. */
  const actionEvents: Array<{ at: number; jurisdiction: string; action: string }> = [];
  const decisionEvents: Array<{ at: number; key: string; durationMs: number | null }> = [];
  const reportEvents: Array<{ at: number; reason: string }> = [];

  const report = (client: { gql: SignedInClient['gql'] }, from: string, to: string) =>
    client.gql<{ transparencyReport: Report }>(REPORT, { from, to });

  /** What the report for [from, to) must say, from the test's tally alone. */
  function expected(from: number, to: number): Report {
    const inWindow = (at: number) => at >= from && at < to;
    const actions = actionEvents.filter((e) => inWindow(e.at));
    const decisions = decisionEvents.filter((e) => inWindow(e.at));
    const durations = decisions
      .flatMap((e) => (e.durationMs === null ? [] : [e.durationMs]))
      .sort((a, b) => a - b);
    const mid = Math.floor(durations.length / 2);
    const medianMs =
      durations.length === 0
        ? null
        : durations.length % 2 === 1
          ? durations[mid]
          : (durations[mid - 1] + durations[mid]) / 2;
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      byJurisdiction: sortCounts(tallyOf(actions.map((e) => e.jurisdiction))),
      byAction: sortCounts(tallyOf(actions.map((e) => e.action))),
      byDecision: sortCounts(tallyOf(decisions.map((e) => e.key))),
      byReportReason: sortCounts(
        tallyOf(reportEvents.filter((e) => inWindow(e.at)).map((e) => e.reason)),
      ),
      medianSecondsToDecision: medianMs === null ? null : medianMs / 1000,
    };
  }

  /** The pending item of `kind` about `contentId` (review requests arrive just after the post). */
  async function pendingItem(
    moderator: SignedInClient,
    contentId: string,
    kind: string,
  ): Promise<QueueItem> {
    return waitFor(`a pending ${kind} item for ${contentId}`, async () => {
      const queue = await dataOf(
        moderator.gql<{ reviewQueue: { edges: Array<{ node: QueueItem }> } }>(QUEUE, {
          f: { kind },
        }),
      );
      return queue.reviewQueue.edges.find((e) => e.node.content?.id === contentId)?.node;
    });
  }

  /**
   * One day of scripted activity, then its rows moved to that day: counters summed onto the
   * day, decisions and reports given times in it (the first at 00:00:00.000, the last at
   * 23:59:59.999), so the windows' edges are exercised.
   */
  async function runPhase(phase: number, day: number): Promise<void> {
    const dayStart = MONTH_FROM + day * DAY;
    const actions: Notice[] = [];
    const decisions: Array<{ itemId: string; key: string }> = [];
    const reports: string[] = [];
    const frPublished = phase >= RETRO_PHASE;

    if (phase === RETRO_PHASE) {
      // Published retroactively: every published post mentioning gilets is withheld in FR.
      const draft = await draftRuleSet(officerA, 'FR', [
        {
          name: 'Gilets',
          matcher: { kind: 'KEYWORDS', terms: ['gilets'] },
          action: 'WITHHOLD',
          legalBasis: 'Example law art. 2',
          explanation: 'Withheld in France.',
        },
      ]);
      await publishRuleSet(officerB, draft, true);
      await retroactiveRunDone(env.app.app, draft);
      for (let i = 0; i < RETRO_PHASE; i++)
        actions.push({ jurisdiction: 'FR', action: 'WITHHOLD' });
    }

    let n = 0;
    /** Posts a thread; checks the notices it gets against `want` and tallies them. */
    const post = async (
      by: SignedInClient,
      body: string,
      want: readonly string[],
      blocked = false,
    ): Promise<string | null> => {
      n += 1;
      const res = await by.gql<{ createThread: { thread: { id: string }; notices: Notice[] } }>(
        CREATE_THREAD,
        { b: boardId, t: `Day ${day} post ${n}`, body },
      );
      const notices = blocked
        ? (res.errors?.[0]?.extensions?.notices as Notice[] | undefined)
        : res.data?.createThread.notices;
      if (blocked) expectCode(res, 'CONTENT_BLOCKED');
      else expectNoErrors(res);
      if (notices === undefined) throw new Error(`no notices for "${body}"`);
      if (JSON.stringify(noticeKeys(notices)) !== JSON.stringify([...want].sort()))
        throw new Error(`"${body}": got ${JSON.stringify(noticeKeys(notices))}`);
      actions.push(...notices);
      return res.data?.createThread.thread.id ?? null;
    };
    const decide = async (
      moderator: SignedInClient,
      item: QueueItem,
      decision: string,
      key: string,
      reasonCode?: string,
    ) => {
      await dataOf(
        moderator.gql(DECIDE, {
          input: { id: item.id, version: item.version, decision, reasonCode },
        }),
      );
      decisions.push({ itemId: item.id, key });
    };
    const reportAs = async (reporter: SignedInClient, contentId: string, reason: string) => {
      await dataOf(reporter.gql(REPORT_POST, { c: contentId, r: reason }));
      reports.push(reason);
    };

    const lunch = (await post(author, 'Lunch at the canteen was great', []))!;
    const held = (await post(author, 'there is a bomb in the parking lot', ['US HOLD']))!;
    const flagged = (await post(author, 'join the giveaway now', ['US FLAG']))!;
    for (let i = 0; i <= phase % 3; i++) await post(author, 'planning a walkout', ['CN WITHHOLD']);
    const german = (await post(author, 'they pay in schwarzarbeit', ['DE WITHHOLD']))!;
    const rude = (await post(author, 'my manager is an idiot', ['US REDACT']))!;
    for (let i = 0; i <= phase % 2; i++)
      await post(author, 'buy followers cheap', ['US BLOCK'], true);
    await post(authorCN, 'remember tiananmen', ['CN BLOCK'], true);
    await post(author, 'remember tiananmen', ['CN WITHHOLD']);
    await post(author, 'a giveaway and a walkout', ['US FLAG', 'CN WITHHOLD']);
    await post(authorCN, 'walkout on friday', ['CN HOLD']); // held, never decided
    await post(author, 'les gilets jaunes', frPublished ? ['FR WITHHOLD'] : []);
    if (phase === 2) {
      // An edit is judged again, and counted again.
      const edited = (await post(author, 'nothing to see', []))!;
      const res = await author.gql<{ editThread: { notices: Notice[] } }>(EDIT_THREAD, {
        id: edited,
        body: 'a giveaway after all',
      });
      expectNoErrors(res);
      expect(noticeKeys(res.data!.editThread.notices)).toEqual(['US FLAG']);
      actions.push(...res.data!.editThread.notices);
    }

    // Reports: several reasons; the lunch post is removed and appealed.
    const reasons = [
      'HARASSMENT',
      'SPAM',
      'HATE',
      'OTHER',
      'MISINFORMATION',
      'CONFIDENTIAL_INFORMATION',
    ];
    const reason = (i: number) => reasons[(phase + i) % reasons.length];
    await reportAs(reporters[0], lunch, reason(0));
    await reportAs(reporters[1], rude, reason(1));
    await reportAs(reporters[2], rude, reason(2));
    await reportAs(reporters[3], german, reason(3));
    if (phase % 2 === 1) await reportAs(reporters[0], german, reason(4));

    // Decisions of every kind; some items stay pending (not counted).
    const even = phase % 2 === 0;
    await decide(
      moderatorA,
      await pendingItem(moderatorA, held, 'RULE_HOLD'),
      even ? 'APPROVE' : 'REJECT',
      even ? 'APPROVE' : 'REJECT',
      even ? undefined : 'threats',
    );
    await decide(
      moderatorA,
      await pendingItem(moderatorA, flagged, 'RULE_FLAG'),
      'IGNORE',
      'IGNORE',
    );
    await decide(
      moderatorA,
      await pendingItem(moderatorA, lunch, 'USER_REPORTS'),
      'REJECT',
      'REJECT',
      'harassment',
    );
    await dataOf(author.gql(APPEAL, { c: lunch }));
    await decide(
      moderatorB,
      await pendingItem(moderatorB, lunch, 'APPEAL'),
      even ? 'APPROVE' : 'REJECT',
      even ? 'APPEAL:APPROVE' : 'APPEAL:REJECT',
      even ? undefined : 'harassment',
    );
    if (even) {
      await decide(
        moderatorA,
        await pendingItem(moderatorA, german, 'USER_REPORTS'),
        'IGNORE',
        'IGNORE',
      );
    }

    await env.app.app.get(TransactionRunner).run(CONTENT_STORE, async (manager) => {
      await moveCounters(manager, dayStart, actions);
      await moveDecisions(manager, phase, dayStart, decisions);
      await moveReports(manager, dayStart, reports);
    });
  }

  async function moveCounters(manager: EntityManager, dayStart: number, actions: Notice[]) {
    const live = await manager
      .createQueryBuilder(ComplianceActionCountEntity, 'c')
      .where('c.day > :cutoff', { cutoff: CUTOFF })
      .getMany();
    const sums = new Map<string, number>();
    for (const row of live) {
      const key = `${row.jurisdiction} ${row.action}`;
      sums.set(key, (sums.get(key) ?? 0) + row.count);
    }
    // The counters of the day are exactly the notices the authors were shown.
    expect(sortCounts(sums)).toEqual(sortCounts(tallyOf(noticeKeys(actions))));
    await manager
      .createQueryBuilder()
      .delete()
      .from(ComplianceActionCountEntity)
      .where('day > :cutoff', { cutoff: CUTOFF })
      .execute();
    for (const [key, count] of sums) {
      const [jurisdiction, action] = key.split(' ');
      await manager.insert(ComplianceActionCountEntity, {
        day: dayStart,
        jurisdiction,
        action,
        count,
      });
    }
    for (const { jurisdiction, action } of actions)
      actionEvents.push({ at: dayStart, jurisdiction, action });
  }

  async function moveDecisions(
    manager: EntityManager,
    phase: number,
    dayStart: number,
    decisions: Array<{ itemId: string; key: string }>,
  ) {
    const live = await manager
      .createQueryBuilder(ReviewItemEntity, 'r')
      .where('r.decidedAt > :cutoff', { cutoff: CUTOFF })
      .getMany();
    expect(live.map((r) => r.id).sort()).toEqual(decisions.map((d) => d.itemId).sort());
    for (const [k, decision] of decisions.entries()) {
      const at =
        k === 0 ? dayStart : k === decisions.length - 1 ? dayStart + DAY - 1 : dayStart + k * HOUR;
      // Varied durations, from seconds to days (queued before the window for some).
      const durationMs = (37 + ((phase * 7 + k * 13) % 23) * 611 + (k === 1 ? 3 * DAY : 0)) * 1000;
      const unqueued = phase === UNQUEUED_PHASE && k === 0;
      await manager.update(
        ReviewItemEntity,
        { id: decision.itemId },
        { decidedAt: new Date(at), queuedAt: unqueued ? null : new Date(at - durationMs) },
      );
      decisionEvents.push({ at, key: decision.key, durationMs: unqueued ? null : durationMs });
    }
  }

  async function moveReports(manager: EntityManager, dayStart: number, reasons: string[]) {
    const live = await manager
      .createQueryBuilder(ReportEntity, 'p')
      .where('p.createdAt > :cutoff', { cutoff: CUTOFF })
      .getMany();
    expect(live.map((r) => r.reason).sort()).toEqual([...reasons].sort());
    for (const [i, row] of live.entries()) {
      const at =
        i === 0 ? dayStart : i === live.length - 1 ? dayStart + DAY - 1 : dayStart + i * HOUR;
      await manager.update(ReportEntity, { id: row.id }, { createdAt: new Date(at) });
      reportEvents.push({ at, reason: row.reason });
    }
  }

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Acme', slug: 'acme' }, undefined, {
      EMAIL_CODES_PER_IP_PER_HOUR: '500',
      AUTH_RATE_LIMIT_MAX: '1000',
      RATE_LIMIT_MAX: '100000',
      // One author posts a scripted month (~80 posts) in seconds.
      POST_RATE_LIMIT_MAX: '100000',
      // Any single report queues its post; none hides it.
      REPORT_QUEUE_THRESHOLD: '0.5',
      REPORT_HIDE_THRESHOLD: '1000',
    });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    [officerA, officerB, author, authorCN, moderatorA, moderatorB, ...reporters] =
      await Promise.all([
        signUpMember(app, smtp),
        signUpMember(app, smtp),
        signUpMember(app, smtp, { jurisdiction: 'US' }),
        signUpMember(app, smtp, { jurisdiction: 'CN' }),
        signUpMember(app, smtp),
        signUpMember(app, smtp),
        ...Array.from({ length: 4 }, () => signUpMember(app, smtp)),
      ]);
    await grantOfficers(admin, [officerA, officerB]);
    for (const moderator of [moderatorA, moderatorB]) {
      await dataOf(
        admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
          e: moderator.email,
        }),
      );
    }
    expectNoErrors(await verifyEmployer(app, smtp, author, 'author@acme.example'));
    expectNoErrors(await verifyEmployer(app, smtp, authorCN, 'author.cn@acme.example'));
    boardId = (
      await dataOf(author.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
    ).board.id;
    const rules: Record<string, object[]> = {
      US: [
        rule('Spam', 'buy followers', 'BLOCK'),
        rule('Threats', 'bomb', 'HOLD'),
        rule('Giveaways', 'giveaway', 'FLAG'),
        rule('Insults', 'idiot', 'REDACT'),
      ],
      CN: [rule('History', 'tiananmen', 'BLOCK'), rule('Collective action', 'walkout', 'HOLD')],
      DE: [rule('Undeclared work', 'schwarzarbeit', 'WITHHOLD')],
    };
    for (const [jurisdiction, list] of Object.entries(rules)) {
      await publishRuleSet(officerB, await draftRuleSet(officerA, jurisdiction, list));
    }
    for (const [phase, day] of PHASE_DAYS.entries()) await runPhase(phase, day);
  }, 600_000);
  afterAll(async () => env.close());

  it('counts a scripted month exactly as the test tallied it', async () => {
    const month = expected(MONTH_FROM, MONTH_TO);
    // The script reached every action and every kind of decision (else this test proves little).
    expect(month.byAction.map((c) => c.key).sort()).toEqual([
      'BLOCK',
      'FLAG',
      'HOLD',
      'REDACT',
      'WITHHOLD',
    ]);
    expect(month.byDecision.map((c) => c.key).sort()).toEqual([
      'APPEAL:APPROVE',
      'APPEAL:REJECT',
      'APPROVE',
      'IGNORE',
      'REJECT',
    ]);
    expect(month.byJurisdiction.map((c) => c.key).sort()).toEqual(['CN', 'DE', 'FR', 'US']);
    expect(month.medianSecondsToDecision).not.toBeNull();

    const answer = await dataOf(
      report(officerA, new Date(MONTH_FROM).toISOString(), new Date(MONTH_TO).toISOString()),
    );
    expect(answer.transparencyReport).toEqual(month);
    // The days before and after the month were left out.
    expect(answer.transparencyReport).not.toEqual(expected(MONTH_FROM - DAY, MONTH_TO + DAY));
  });

  it('counts a sub-window, rounding its bounds out to whole UTC days', async () => {
    const from = MONTH_FROM + 6 * DAY;
    const to = MONTH_FROM + 22 * DAY;
    const sub = expected(from, to);
    expect(sub.byDecision.length).toBeGreaterThan(0);
    const aligned = await dataOf(
      report(officerA, new Date(from).toISOString(), new Date(to).toISOString()),
    );
    expect(aligned.transparencyReport).toEqual(sub);
    const ragged = await dataOf(
      report(
        env.admin,
        new Date(from + 10 * HOUR).toISOString(),
        new Date(to - 19 * HOUR).toISOString(),
      ),
    );
    expect(ragged.transparencyReport).toEqual(sub);
    expect(ragged.transparencyReport).not.toEqual(expected(MONTH_FROM, MONTH_TO));

    const whole = await dataOf(
      report(
        officerB,
        new Date(MONTH_FROM - DAY).toISOString(),
        new Date(MONTH_TO + DAY).toISOString(),
      ),
    );
    expect(whole.transparencyReport).toEqual(expected(MONTH_FROM - DAY, MONTH_TO + DAY));

    const empty = await dataOf(report(officerA, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z'));
    expect(empty.transparencyReport).toEqual({
      from: '2025-06-01T00:00:00.000Z',
      to: '2025-07-01T00:00:00.000Z',
      byJurisdiction: [],
      byAction: [],
      byDecision: [],
      byReportReason: [],
      medianSecondsToDecision: null,
    });
  });

  it('is for compliance officers and admins only, and refuses bad windows', async () => {
    const from = '2025-04-01T00:00:00Z';
    const to = '2025-05-01T00:00:00Z';
    expectCode(await report(author, from, to), 'FORBIDDEN');
    expectCode(await report(moderatorA, from, to), 'FORBIDDEN');
    expectCode(await report(env.app, from, to), 'UNAUTHENTICATED');
    expectNoErrors(await report(officerB, from, to));
    expectNoErrors(await report(env.admin, from, to));

    for (const [f, t] of [
      [to, from], // backwards
      [from, from], // empty
      ['2024-01-01T00:00:00Z', '2025-01-02T00:00:00Z'], // 367 days
      ['2024-01-01T12:00:00Z', '2025-01-01T12:00:00Z'], // 366 days asked, 367 whole days
    ]) {
      const res = await report(officerA, f, t);
      expectCode(res, 'BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.fields).toEqual(['from', 'to']);
    }
    // A leap year is the longest window.
    expectNoErrors(await report(officerA, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'));
  });

  it('prints the same report from the command line, as JSON and as CSV', async () => {
    const cli = (...args: string[]) => runTs('src/cli.ts', args, env.app.env);
    const answer = (await dataOf(report(officerA, '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z')))
      .transparencyReport;

    const json = cli('transparency-report', '--from', '2025-04-01', '--to', '2025-05-01');
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(answer);

    const csv = cli(
      'transparency-report',
      '--from',
      '2025-04-01T00:00:00Z',
      '--to',
      '2025-04-30T23:00:00+00:00',
      '--format',
      'csv',
    );
    expect(csv.stderr).toBe('');
    expect(csv.status).toBe(0);
    const sections = ['byJurisdiction', 'byAction', 'byDecision', 'byReportReason'] as const;
    expect(csv.stdout.split('\n')).toEqual([
      'section,key,count',
      ...sections.flatMap((s) => answer[s].map((c) => `${s},${c.key},${c.count}`)),
      `medianSecondsToDecision,,${answer.medianSecondsToDecision}`,
      '',
    ]);

    const missing = cli('transparency-report', '--from', '2025-04-01');
    expect(missing.status).toBe(64);
    expect(missing.stderr).toMatch(/--from <date> and --to <date>/);
    const format = cli(
      'transparency-report',
      '--from',
      '2025-04-01',
      '--to',
      '2025-05-01',
      '--format',
      'xml',
    );
    expect(format.status).toBe(64);
    expect(format.stderr).toMatch(/--format json\|csv/);
    const impossible = cli('transparency-report', '--from', '2025-02-30', '--to', '2025-05-01');
    expect(impossible.status).toBe(64);
    const backwards = cli('transparency-report', '--from', '2025-05-01', '--to', '2025-04-01');
    expect(backwards.status).toBe(64);
    expect(backwards.stderr).toMatch(/from must be before to/);
    expect(backwards.stdout).toBe('');
  });
});

function rule(name: string, term: string, action: string): object {
  return {
    name,
    matcher: { kind: 'KEYWORDS', terms: [term] },
    action,
    legalBasis: `${name} law`,
    explanation: `${name}: ${action.toLowerCase()}.`,
  };
}

function expectNoErrors(res: GraphqlResponse<unknown>): void {
  expect(res.errors).toBeUndefined();
}

function expectCode(res: GraphqlResponse<unknown>, code: string): void {
  expect(res.errors?.[0]?.extensions?.code).toBe(code);
}
