import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RetroactiveRunEntity } from '../../../src/compliance/enforcement/content-enforcement.entity';
import { RetroactiveEnforcement } from '../../../src/compliance/enforcement/retroactive-enforcement.service';
import { RuleEntity } from '../../../src/compliance/rule-sets/rule.entity';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { MetricsService } from '../../../src/infrastructure/metrics/metrics.service';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import { retroactiveRunDone } from '../../utils/domain-events';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const RULE_FIELDS = 'id name action matcher { kind terms pattern }';
const DIFF = `query ($id: ID!) {
  ruleSet(id: $id) {
    rules { id name }
    diff {
      added { ${RULE_FIELDS} }
      removed { ${RULE_FIELDS} }
      changed { before { ${RULE_FIELDS} } after { ${RULE_FIELDS} } }
    }
  }
}`;
const RUN = `query ($id: ID!) {
  ruleSet(id: $id) { retroactiveRun { id status total scanned changed startedAt finishedAt } }
}`;
const PREVIEW = `query ($id: ID!, $since: DateTime!, $limit: Int) {
  previewRuleSetImpact(ruleSetId: $id, since: $since, limit: $limit) {
    scanned changed truncated byAction { action count } samples { contentId }
  }
}`;

interface RuleView {
  id: string;
  name: string;
  action: string;
  matcher: { kind: string; terms: string[]; pattern: string | null };
}
interface DiffView {
  ruleSet: {
    rules: Array<{ id: string; name: string }>;
    diff: {
      added: RuleView[];
      removed: RuleView[];
      changed: Array<{ before: RuleView; after: RuleView }>;
    };
  };
}
interface RunView {
  ruleSet: {
    retroactiveRun: {
      id: string;
      status: string;
      total: number;
      scanned: number;
      changed: number;
      startedAt: string;
      finishedAt: string | null;
    } | null;
  };
}
interface PreviewView {
  previewRuleSetImpact: {
    scanned: number;
    changed: number;
    truncated: boolean;
    byAction: Array<{ action: string; count: number }>;
    samples: Array<{ contentId: string }>;
  };
}

const keywords = (name: string, terms: string[], action = 'WITHHOLD') => ({
  name,
  matcher: { kind: 'KEYWORDS', terms },
  action,
  legalBasis: 'Example Act art. 1',
  explanation: `${name} is withheld here.`,
});

describe('Compliance officers: diffs, impact previews and retroactive runs', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let author: SignedInClient;
  let boardId: string;
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
  const epoch = new Date(0).toISOString();

  const thread = async (title: string, body: string): Promise<string> =>
    (
      await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(
          `mutation ($b: ID!, $t: String!, $body: String!) {
            createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } }
          }`,
          { b: boardId, t: title, body },
        ),
      )
    ).createThread.thread.id;
  const comment = async (threadId: string, body: string): Promise<string> =>
    (
      await dataOf(
        author.gql<{ createComment: { comment: { id: string } } }>(
          'mutation ($t: ID!, $body: String!) { createComment(input: { threadId: $t, body: $body }) { comment { id } } }',
          { t: threadId, body },
        ),
      )
    ).createComment.comment.id;
  const copyDraft = async (jurisdiction: string): Promise<string> =>
    draftRuleSet(officerA, jurisdiction, [], true);
  const publishedPosts = async () =>
    (await content()
      .getRepository(ThreadEntity)
      .countBy({ status: 'PUBLISHED' as never })) +
    (await content()
      .getRepository(CommentEntity)
      .countBy({ status: 'PUBLISHED' as never }));
  const metric = async (name: string): Promise<number> => {
    const text = await env.app.app.get(MetricsService).render();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Globex', slug: 'globex' });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    [officerA, officerB, author] = await Promise.all([
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'DE' }),
      signUpMember(app, smtp, { jurisdiction: 'US' }),
    ]);
    await grantOfficers(admin, [officerA, officerB]);
    expect(
      (await verifyEmployer(app, smtp, author, 'author@globex.example')).errors,
    ).toBeUndefined();
    boardId = (
      await dataOf(author.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'))
    ).board.id;
    for (let i = 0; i < 4; i++) await thread(`Weekly notes ${i}`, 'nothing of note');
  });
  afterAll(async () => env.close());

  it('diffs a draft against the active version: a copy left as it was is neither added nor changed', async () => {
    const v1 = await draftRuleSet(officerA, 'FR', [
      keywords('Alpha', ['alphaword']),
      keywords('Beta', ['betaword']),
      keywords('Gamma', ['gammaword']),
    ]);
    await publishRuleSet(officerB, v1);
    // The active version has nothing to differ from.
    expect((await dataOf(officerA.gql<DiffView>(DIFF, { id: v1 }))).ruleSet.diff).toEqual({
      added: [],
      removed: [],
      changed: [],
    });

    const draft = await copyDraft('FR');
    const copied = (await dataOf(officerA.gql<DiffView>(DIFF, { id: draft }))).ruleSet;
    expect(copied.rules.map((r) => r.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(copied.diff).toEqual({ added: [], removed: [], changed: [] });

    const id = (name: string) => copied.rules.find((r) => r.name === name)!.id;
    await dataOf(
      officerA.gql(
        'mutation ($id: ID!, $input: RuleInput!) { updateRule(ruleId: $id, input: $input) { id } }',
        { id: id('Beta'), input: keywords('Beta', ['betaword', 'betaother'], 'FLAG') },
      ),
    );
    await dataOf(
      officerA.gql('mutation ($id: ID!) { removeRule(ruleId: $id) }', { id: id('Gamma') }),
    );
    await dataOf(
      officerA.gql(
        'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
        { id: draft, input: keywords('Delta', ['deltaword']) },
      ),
    );

    const { diff } = (await dataOf(officerA.gql<DiffView>(DIFF, { id: draft }))).ruleSet;
    expect(diff.added.map((r) => r.name)).toEqual(['Delta']);
    expect(diff.removed).toEqual([
      expect.objectContaining({
        name: 'Gamma',
        matcher: expect.objectContaining({ terms: ['gammaword'] }),
      }),
    ]);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].before).toMatchObject({
      name: 'Beta',
      action: 'WITHHOLD',
      matcher: { terms: ['betaword'] },
    });
    expect(diff.changed[0].after).toMatchObject({
      id: id('Beta'),
      name: 'Beta',
      action: 'FLAG',
      matcher: { terms: ['betaword', 'betaother'] },
    });
    // The rule of the active version, not the draft's copy.
    expect(diff.changed[0].before.id).not.toBe(id('Beta'));

    // A jurisdiction with no active version: every rule is added.
    const other = await draftRuleSet(officerA, 'IE', [keywords('Only', ['onlyword'])]);
    const otherDiff = (await dataOf(officerA.gql<DiffView>(DIFF, { id: other }))).ruleSet.diff;
    expect(otherDiff.added.map((r) => r.name)).toEqual(['Only']);
    expect(otherDiff.removed).toEqual([]);
  });

  it('counts "changed" alike in the preview and in the retroactive run that follows', async () => {
    // Posts written before Italy's rule was published: it never judged them.
    const first = await thread('Strike on Friday', 'the strikezz starts at nine');
    const second = await thread('Canteen', 'menu of the week');
    await comment(second, 'join the strikezz');
    await thread('Another strikezz', 'see you there');
    const v1 = await draftRuleSet(officerA, 'IT', [keywords('Strikes', ['strikezz'])]);
    await publishRuleSet(officerB, v1);

    // A copy left unchanged: the diff is empty, yet a retroactive run acts on the three posts.
    const draft = await copyDraft('IT');
    const preview = (await dataOf(officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch })))
      .previewRuleSetImpact;
    expect(preview.changed).toBe(3);
    expect(preview.truncated).toBe(false);
    expect(preview.scanned).toBe(await publishedPosts());
    expect(preview.byAction).toEqual([{ action: 'WITHHOLD', count: 3 }]);
    expect(preview.samples.map((s) => s.contentId)).toContain(first);

    const changedBefore = await metric('compliance_retroactive_posts_changed_total');
    const scannedBefore = await metric('compliance_retroactive_posts_scanned_total');
    expect(
      (await dataOf(officerB.gql<RunView>(RUN, { id: draft }))).ruleSet.retroactiveRun,
    ).toBeNull();
    await publishRuleSet(officerB, draft, true);
    const stored = await retroactiveRunDone(env.app.app, draft);
    expect(stored.changed).toBe(preview.changed);

    const run = (await dataOf(officerB.gql<RunView>(RUN, { id: draft }))).ruleSet.retroactiveRun;
    expect(run).toMatchObject({
      id: draft,
      status: 'FINISHED',
      changed: preview.changed,
      scanned: preview.scanned,
      total: preview.scanned,
    });
    expect(new Date(run!.finishedAt!).getTime()).toBeGreaterThanOrEqual(
      new Date(run!.startedAt).getTime(),
    );
    // Once applied, the same version changes nothing more: the posts are withheld in Italy.
    expect(
      (await dataOf(officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch })))
        .previewRuleSetImpact,
    ).toMatchObject({ changed: 0, scanned: preview.scanned });
    expect(await metric('compliance_retroactive_posts_changed_total')).toBe(changedBefore + 3);
    expect(await metric('compliance_retroactive_posts_scanned_total')).toBe(
      scannedBefore + preview.scanned,
    );
    expect(
      await metric('compliance_retroactive_runs_ended_total{status="FINISHED"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('says when a preview stopped at its limit before the newest post', async () => {
    const draft = await draftRuleSet(officerA, 'NL', [keywords('Notes', ['notes'])]);
    const all = await publishedPosts();
    const cut = (
      await dataOf(officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch, limit: 1 }))
    ).previewRuleSetImpact;
    expect(cut).toMatchObject({ scanned: 1, truncated: true });
    // Every thread read, the comments not: still truncated.
    const threads = await content()
      .getRepository(ThreadEntity)
      .countBy({ status: 'PUBLISHED' as never });
    expect(
      (
        await dataOf(
          officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch, limit: threads }),
        )
      ).previewRuleSetImpact,
    ).toMatchObject({ scanned: threads, truncated: true });
    // Exactly as many as there are: nothing was left.
    expect(
      (await dataOf(officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch, limit: all })))
        .previewRuleSetImpact,
    ).toMatchObject({ scanned: all, truncated: false });
    const whole = (await dataOf(officerB.gql<PreviewView>(PREVIEW, { id: draft, since: epoch })))
      .previewRuleSetImpact;
    expect(whole).toMatchObject({ scanned: all, truncated: false, changed: 4 });
  });

  it('shows a run’s progress as its batches apply, and its end', async () => {
    const version = await draftRuleSet(officerA, 'ES', [keywords('Canteen', ['canteen'])]);
    await publishRuleSet(officerB, version);
    const first = await content()
      .getRepository(ThreadEntity)
      .find({
        where: { status: 'PUBLISHED' as never },
        order: { createdAt: 'ASC', id: 'ASC' },
        take: 1,
      });
    // A run that stopped after the first thread (as if its server had died there).
    await content().getRepository(RetroactiveRunEntity).insert({
      ruleSetId: version,
      jurisdiction: 'ES',
      status: 'RUNNING',
      phase: 'THREAD',
      afterCreatedAt: first[0].createdAt,
      afterId: first[0].id,
      actorHandle: 'Staff Quiet Heron 1234',
      actorRole: 'COMPLIANCE_OFFICER',
      scanned: 1,
      changed: 0,
      startedAt: new Date(),
      finishedAt: null,
    });
    const all = await publishedPosts();
    expect(
      (await dataOf(officerB.gql<RunView>(RUN, { id: version }))).ruleSet.retroactiveRun,
    ).toMatchObject({
      status: 'RUNNING',
      scanned: 1,
      changed: 0,
      total: all,
      finishedAt: null,
    });
    expect(await metric('compliance_retroactive_runs_running')).toBe(1);
    expect(await metric('compliance_retroactive_run_progress_ratio')).toBeCloseTo(1 / all, 6);

    const enforcement = env.app.app.get(RetroactiveEnforcement);
    await enforcement.onApplicationBootstrap();
    await enforcement.settled(version);
    const run = (await dataOf(officerB.gql<RunView>(RUN, { id: version }))).ruleSet.retroactiveRun;
    expect(run).toMatchObject({ status: 'FINISHED', scanned: all, total: all, changed: 1 });
    expect(run!.finishedAt).not.toBeNull();
    expect(await metric('compliance_retroactive_runs_running')).toBe(0);
    expect(await metric('compliance_retroactive_run_progress_ratio')).toBe(1);
  });

  it('marks a run an error stopped FAILED', async () => {
    const version = await draftRuleSet(officerA, 'PT', [keywords('Menu', ['menu'])]);
    await publishRuleSet(officerB, version);
    // The stored rule no longer compiles (as after an engine change): the run cannot start.
    await content()
      .getRepository(RuleEntity)
      .update({ ruleSetId: version }, { matcherKind: 'REGEX', pattern: '(a)\\1', terms: [] });
    const failedBefore = await metric('compliance_retroactive_runs_ended_total{status="FAILED"}');
    await content().getRepository(RetroactiveRunEntity).insert({
      ruleSetId: version,
      jurisdiction: 'PT',
      status: 'RUNNING',
      phase: 'THREAD',
      afterCreatedAt: null,
      afterId: null,
      actorHandle: 'Staff Quiet Heron 1234',
      actorRole: 'COMPLIANCE_OFFICER',
      scanned: 0,
      changed: 0,
      startedAt: new Date(),
      finishedAt: null,
    });
    const enforcement = env.app.app.get(RetroactiveEnforcement);
    await enforcement.onApplicationBootstrap();
    await enforcement.settled(version);
    const run = (await dataOf(officerB.gql<RunView>(RUN, { id: version }))).ruleSet.retroactiveRun;
    expect(run).toMatchObject({ status: 'FAILED', scanned: 0, changed: 0 });
    expect(run!.finishedAt).not.toBeNull();
    expect((await metric('compliance_retroactive_runs_ended_total{status="FAILED"}')) || 0).toBe(
      (failedBefore || 0) + 1,
    );
    // The failure is audited, under the publishing officer's handle, with how far it got.
    const audited = await dataOf(
      officerB.gql<{
        auditLog: {
          edges: Array<{
            node: { actorHandle: string; subject: string; details: Record<string, unknown> };
          }>;
        };
      }>(
        '{ auditLog(first: 5, action: "ruleSet.retroactive.fail") { edges { node { actorHandle subject details } } } }',
      ),
    );
    expect(audited.auditLog.edges.map((e) => e.node)).toEqual([
      {
        actorHandle: 'Staff Quiet Heron 1234',
        subject: `ruleSet:${version}`,
        details: {
          jurisdiction: 'PT',
          phase: 'THREAD',
          scanned: 0,
          changed: 0,
          resumesAtNextStart: true,
        },
      },
    ]);

    // The version's own error names the rule, not ids.
    const tested = await officerB.gql(
      'query ($id: ID!) { testRules(ruleSetId: $id, text: "a") { outcome } }',
      { id: version },
    );
    expect(tested.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(tested.errors?.[0].message).toMatch(/^Rule "Menu", matcher\.pattern: /);
    expect(tested.errors?.[0].message).not.toMatch(UUID);
  });

  it('names a rule it refuses by its name and field, never by ids', async () => {
    const draft = await draftRuleSet(officerA, 'AT', []);
    const before = await content().getRepository(RuleEntity).countBy({ ruleSetId: draft });
    const res = await officerA.gql(
      'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
      {
        id: draft,
        input: {
          name: 'Codename',
          matcher: { kind: 'REGEX', pattern: '(a)\\1' },
          action: 'FLAG',
          legalBasis: 'Terms §1',
          explanation: 'Flagged.',
        },
      },
    );
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.fields).toEqual(['input.matcher.pattern']);
    expect(res.errors?.[0].message).toMatch(/^Rule "Codename", matcher\.pattern: .*backreference/);
    expect(res.errors?.[0].message).not.toMatch(UUID);
    expect(await content().getRepository(RuleEntity).countBy({ ruleSetId: draft })).toBe(before);
  });
});
