import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActiveRuleSets } from '../../../src/compliance/rule-sets/active-rule-sets.service';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse, TestApp } from '../../utils/test-app';
import { dumpStore, tableName } from '../../utils/store-dump';
import { retroactiveRunDone } from '../../utils/domain-events';

interface RuleView {
  id: string;
  name: string;
  matcher: { kind: string; terms: string[]; pattern: string | null; piiKinds: string[] };
  action: string;
  boardKinds: string[];
  enabled: boolean;
}
interface VersionView {
  id: string;
  jurisdiction: string;
  version: number;
  status: string;
  publishedAt: string | null;
  basedOnVersion: number | null;
  rollbackOf: number | null;
  lastEditedByViewer: boolean;
  rules: RuleView[];
}
interface AuditRow {
  id: string;
  actor_handle: string;
  actor_role: string;
  action: string;
  subject: string;
  detail: string;
}

const RULE = 'id name matcher { kind terms pattern piiKinds } action boardKinds enabled';
const VERSION = `id jurisdiction version status publishedAt basedOnVersion rollbackOf lastEditedByViewer rules { ${RULE} }`;

const CREATE_DRAFT = `mutation ($j: String!, $copy: Boolean) { createRuleSetDraft(jurisdiction: $j, copyActive: $copy) { ${VERSION} } }`;
const ADD_RULE = `mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { ${RULE} } }`;
const UPDATE_RULE = `mutation ($id: ID!, $input: RuleInput!) { updateRule(ruleId: $id, input: $input) { ${RULE} } }`;
const REMOVE_RULE = 'mutation ($id: ID!) { removeRule(ruleId: $id) }';
const PUBLISH = `mutation ($id: ID!, $retro: Boolean) { publishRuleSet(ruleSetId: $id, applyRetroactively: $retro) { ${VERSION} } }`;
const ROLLBACK = `mutation ($j: String!, $v: Int!, $emergency: Boolean, $reason: String) {
  rollbackRuleSet(jurisdiction: $j, toVersion: $v, emergency: $emergency, reason: $reason) { ${VERSION} }
}`;
const RULE_SET = `query ($id: ID!) { ruleSet(id: $id) { ${VERSION} } }`;
const TEST_RULES = `query ($id: ID!, $text: String!, $kind: BoardKind) {
  testRules(ruleSetId: $id, text: $text, boardKind: $kind) {
    hits { ruleId ruleName action jurisdiction start end matchedText } outcome redactedText
  }
}`;
const JURISDICTION_VERSIONS = `{ jurisdictions { code activeRuleSet { id version } ruleSets { id version status } } }`;

const insults = {
  name: 'Insults',
  matcher: { kind: 'KEYWORDS', terms: ['idiot', 'Dummkopf'] },
  action: 'REDACT',
  legalBasis: 'StGB §185 (insult)',
  explanation: 'Insults are masked.',
};
const badgeNumbers = {
  name: 'Badge numbers',
  matcher: { kind: 'REGEX', pattern: '\\b[A-Z]{2}-\\d{6}\\b' },
  action: 'HOLD',
  boardKinds: ['COMPANY'],
  legalBasis: 'Company policy 4.2',
  explanation: 'Badge numbers identify employees.',
};
const emails = {
  name: 'Email addresses',
  matcher: { kind: 'PII', piiKinds: ['email'] },
  action: 'BLOCK',
  legalBasis: 'GDPR Art. 6',
  explanation: 'Do not post email addresses (doxxing).',
};

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;

describe('Jurisdictions and rule set versions', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let admin: SignedInClient;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let member: SignedInClient;
  const contentStore = () => sut.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
  const auditRows = () =>
    contentStore().query<AuditRow[]>(
      `SELECT id, actor_handle, actor_role, action, subject, detail FROM ${tableName(
        contentStore(),
        contentStore().getMetadata('audit_events').tablePath,
      )} ORDER BY at, id`,
    );
  const ok = async <T>(promise: Promise<GraphqlResponse<T>>): Promise<T> => {
    const res = await promise;
    if (res.errors !== undefined || res.data === null || res.data === undefined)
      throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const staffHandle = async (client: SignedInClient) =>
    (await ok(client.gql<{ viewer: { staffHandle: string } }>('{ viewer { staffHandle } }'))).viewer
      .staffHandle;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Globex', slug: 'globex' });
    ({ app: sut, admin } = env);
    [officerA, officerB, member] = await Promise.all(
      [1, 2, 3].map(() => signUpMember(sut, env.smtp, { jurisdiction: 'DE' })),
    );
    for (const officer of [officerA, officerB]) {
      await ok(
        admin.gql('mutation ($e: String!) { grantRole(email: $e, role: COMPLIANCE_OFFICER) }', {
          e: officer.email,
        }),
      );
    }
  });
  afterAll(async () => env.close());

  it('lists jurisdictions, the EU with its 27 members, to everybody', async () => {
    const res = await sut.gql<{
      jurisdictions: Array<{ code: string; name: string; members: string[] }>;
    }>('{ jurisdictions { code name members } }');
    expect(res.errors).toBeUndefined();
    const byCode = new Map(res.data!.jurisdictions.map((j) => [j.code, j]));
    for (const code of ['CN', 'US', 'DE', 'FR', 'GB', 'IN', 'JP', 'SG', 'EU'])
      expect(byCode.has(code)).toBe(true);
    const eu = byCode.get('EU')!;
    expect(eu.name).toBe('European Union');
    expect(eu.members).toHaveLength(27);
    expect(eu.members).toEqual(expect.arrayContaining(['DE', 'FR', 'IE', 'PL', 'SE']));
    for (const code of eu.members) expect(byCode.has(code)).toBe(true);
    expect(byCode.get('DE')!.members).toEqual([]);
  });

  it('keeps rule sets and officer operations to compliance officers', async () => {
    expect(codeOf(await sut.gql('{ jurisdictions { code activeRuleSet { id } } }'))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await member.gql('{ jurisdictions { code ruleSets { id } } }'))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await admin.gql('{ jurisdictions { code activeRuleSet { id } } }'))).toBe(
      'FORBIDDEN',
    );
    const id = '00000000-0000-4000-8000-000000000000';
    const operations: Array<[string, Record<string, unknown>]> = [
      [CREATE_DRAFT, { j: 'DE' }],
      [ADD_RULE, { id, input: insults }],
      [UPDATE_RULE, { id, input: insults }],
      [REMOVE_RULE, { id }],
      [PUBLISH, { id }],
      [ROLLBACK, { j: 'DE', v: 1 }],
      [RULE_SET, { id }],
      [TEST_RULES, { id, text: 'x' }],
    ];
    for (const [op, variables] of operations) {
      expect(codeOf(await sut.gql(op, variables))).toBe('UNAUTHENTICATED');
      expect(codeOf(await member.gql(op, variables))).toBe('FORBIDDEN');
      expect(codeOf(await admin.gql(op, variables))).toBe('FORBIDDEN');
    }
    expect(await auditRows()).toEqual([]);
  });

  it('edits a draft, tests it, publishes it with four eyes, freezes it and rolls back', async () => {
    const active = sut.app.get(ActiveRuleSets);
    const generationBefore = active.current().generation;

    // A draft, empty (nothing active yet); one draft per jurisdiction.
    const { createRuleSetDraft: v1 } = await ok(
      officerA.gql<{ createRuleSetDraft: VersionView }>(CREATE_DRAFT, { j: 'de' }),
    );
    expect(v1).toMatchObject({
      jurisdiction: 'DE',
      version: 1,
      status: 'DRAFT',
      publishedAt: null,
      basedOnVersion: null,
      lastEditedByViewer: true,
      rules: [],
    });
    const again = await officerB.gql(CREATE_DRAFT, { j: 'DE' });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DRAFT_EXISTS',
      ruleSetId: v1.id,
    });
    expect(codeOf(await officerA.gql(CREATE_DRAFT, { j: 'XX' }))).toBe('BAD_USER_INPUT');

    // Rules of three kinds; bad ones are refused before anything is written.
    const add = async (input: Record<string, unknown>) =>
      (await ok(officerA.gql<{ addRule: RuleView }>(ADD_RULE, { id: v1.id, input }))).addRule;
    const insultRule = await add(insults);
    const badgeRule = await add(badgeNumbers);
    const emailRule = await add(emails);
    expect(insultRule.matcher).toEqual({
      kind: 'KEYWORDS',
      terms: ['idiot', 'Dummkopf'],
      pattern: null,
      piiKinds: [],
    });
    expect(emailRule.matcher.piiKinds).toEqual(['EMAIL']);
    expect(badgeRule.boardKinds).toEqual(['COMPANY']);

    const backreference = await officerA.gql(ADD_RULE, {
      id: v1.id,
      input: { ...badgeNumbers, matcher: { kind: 'REGEX', pattern: '(a+)\\1' } },
    });
    expect(backreference.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.matcher.pattern'],
      compileError: 'UNSUPPORTED_REGEX',
    });
    expect(backreference.errors?.[0]?.message).toMatch(/backreference/i);
    for (const input of [
      { ...insults, matcher: { kind: 'KEYWORDS', terms: ['!!!'] } },
      { ...insults, matcher: { kind: 'KEYWORDS', terms: [] } },
      { ...insults, matcher: { kind: 'KEYWORDS', terms: ['x'], pattern: 'x' } },
      { ...emails, matcher: { kind: 'PII', piiKinds: ['SHOE_SIZE'] } },
      { ...insults, name: ' ' },
      { ...insults, legalBasis: 'x'.repeat(501) },
    ]) {
      const res = await officerA.gql(ADD_RULE, { id: v1.id, input });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(await officerA.gql(ADD_RULE, { id: 'no-such-id', input: insults }))).toBe(
      'NOT_FOUND',
    );

    // testRules: hits with spans into the original text, the outcome and the masked text.
    const text = 'You IDIOT, badge GX-123456, write to jo.doe@example.org';
    const tested = await ok(
      officerB.gql<{
        testRules: {
          hits: Array<{
            ruleId: string;
            ruleName: string;
            action: string;
            jurisdiction: string;
            start: number;
            end: number;
            matchedText: string;
          }>;
          outcome: string;
          redactedText: string;
        };
      }>(TEST_RULES, { id: v1.id, text }),
    );
    const hits = tested.testRules.hits;
    expect(hits.map((h) => [h.ruleName, h.matchedText])).toEqual([
      ['Insults', 'IDIOT'],
      ['Email addresses', 'jo.doe@example.org'],
    ]); // badge numbers: COMPANY boards only
    for (const hit of hits) {
      expect(text.slice(hit.start, hit.end)).toBe(hit.matchedText);
      expect(hit.jurisdiction).toBe('DE');
    }
    expect(hits[0]).toMatchObject({ ruleId: insultRule.id, action: 'REDACT' });
    expect(tested.testRules.outcome).toMatch(/^BLOCK/);
    expect(tested.testRules.redactedText).toBe(
      'You *****, badge GX-123456, write to jo.doe@example.org',
    );
    const onCompanyBoard = await ok(
      officerB.gql<{ testRules: { hits: Array<{ ruleName: string; matchedText: string }> } }>(
        TEST_RULES,
        { id: v1.id, text, kind: 'COMPANY' },
      ),
    );
    expect(onCompanyBoard.testRules.hits.map((h) => h.matchedText)).toContain('GX-123456');
    expect(codeOf(await officerB.gql(TEST_RULES, { id: v1.id, text: 'x'.repeat(20_001) }))).toBe(
      'BAD_USER_INPUT',
    );

    // Edit and remove.
    const updated = await ok(
      officerA.gql<{ updateRule: RuleView }>(UPDATE_RULE, {
        id: insultRule.id,
        input: { ...insults, matcher: { kind: 'KEYWORDS', terms: ['idiot', 'Trottel'] } },
      }),
    );
    expect(updated.updateRule).toMatchObject({ id: insultRule.id });
    expect(updated.updateRule.matcher.terms).toEqual(['idiot', 'Trottel']);
    expect(await ok(officerA.gql(REMOVE_RULE, { id: badgeRule.id }))).toEqual({
      removeRule: true,
    });
    expect(codeOf(await officerA.gql(REMOVE_RULE, { id: badgeRule.id }))).toBe('NOT_FOUND');

    // Four eyes: the last editor cannot publish; another officer can.
    const selfPublish = await officerA.gql(PUBLISH, { id: v1.id });
    expect(selfPublish.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'FOUR_EYES',
    });
    expect(selfPublish.errors?.[0]?.message).toMatch(/four-eyes/i);
    const draftSeenByB = await ok(officerB.gql<{ ruleSet: VersionView }>(RULE_SET, { id: v1.id }));
    expect(draftSeenByB.ruleSet).toMatchObject({ status: 'DRAFT', lastEditedByViewer: false });
    const published = await ok(
      officerB.gql<{ publishRuleSet: VersionView }>(PUBLISH, { id: v1.id }),
    );
    expect(published.publishRuleSet).toMatchObject({ id: v1.id, version: 1, status: 'ACTIVE' });
    expect(published.publishRuleSet.publishedAt).not.toBeNull();
    expect(published.publishRuleSet.rules.map((r) => r.name)).toEqual([
      'Insults',
      'Email addresses',
    ]);

    // The compiled cache swapped: a post is judged by the new rules.
    expect(active.current().generation).toBeGreaterThan(generationBefore);
    const judged = active.evaluatePost({
      title: 'Hello',
      body: 'my boss is an idiot',
      boardKind: 'PUBLIC',
      governingJurisdictions: ['DE'],
    });
    expect(judged.governingJurisdictions).toEqual(['DE', 'EU']);
    expect(judged.redactedBody).toBe('my boss is an *****');
    expect(judged.outcome.decision).toBe('PUBLISH');
    const elsewhere = active.evaluatePost({
      body: 'write to jo.doe@example.org',
      boardKind: 'PUBLIC',
      governingJurisdictions: ['US-CA'],
    });
    expect(elsewhere.outcome).toMatchObject({ decision: 'PUBLISH', withheldIn: ['DE'] });

    // Published versions are frozen.
    for (const [op, variables] of [
      [ADD_RULE, { id: v1.id, input: insults }],
      [UPDATE_RULE, { id: insultRule.id, input: insults }],
      [REMOVE_RULE, { id: insultRule.id }],
      [PUBLISH, { id: v1.id }],
    ] as const) {
      const res = await officerA.gql(op, variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'RULE_SET_PUBLISHED',
      });
      expect(res.errors?.[0]?.message).toMatch(/published versions cannot be changed/);
    }

    // Version 2: a copy of the active rules, changed and published.
    const { createRuleSetDraft: v2 } = await ok(
      officerB.gql<{ createRuleSetDraft: VersionView }>(CREATE_DRAFT, { j: 'DE' }),
    );
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT', basedOnVersion: 1 });
    expect(v2.rules.map((r) => r.name)).toEqual(['Insults', 'Email addresses']);
    expect(v2.rules.map((r) => r.id)).not.toContain(insultRule.id);
    await ok(officerB.gql(REMOVE_RULE, { id: v2.rules[0].id }));
    await ok(
      officerB.gql(ADD_RULE, {
        id: v2.id,
        input: {
          name: 'Profanity',
          matcher: { kind: 'PROFANITY', terms: ['Dummbatz'] },
          action: 'FLAG',
          legalBasis: 'Community rules',
          explanation: 'Flagged for review.',
          enabled: false,
        },
      }),
    );
    expect(codeOf(await officerB.gql(PUBLISH, { id: v2.id }))).toBe('FORBIDDEN');
    const second = await ok(
      officerA.gql<{ publishRuleSet: VersionView }>(PUBLISH, { id: v2.id, retro: true }),
    );
    expect(second.publishRuleSet).toMatchObject({ version: 2, status: 'ACTIVE' });
    // The retroactive run (and its audit entries) finishes in the background.
    await retroactiveRunDone(sut.app, v2.id);

    const listed = async () =>
      (
        await ok(
          officerA.gql<{
            jurisdictions: Array<{
              code: string;
              activeRuleSet: { id: string; version: number } | null;
              ruleSets: Array<{ id: string; version: number; status: string }>;
            }>;
          }>(JURISDICTION_VERSIONS),
        )
      ).jurisdictions;
    let de = (await listed()).find((j) => j.code === 'DE')!;
    expect(de.activeRuleSet).toEqual({ id: v2.id, version: 2 });
    expect(de.ruleSets.map((v) => [v.version, v.status])).toEqual([
      [2, 'ACTIVE'],
      [1, 'SUPERSEDED'],
    ]);
    expect((await listed()).find((j) => j.code === 'FR')).toMatchObject({
      activeRuleSet: null,
      ruleSets: [],
    });

    // Rollback to version 1 under four eyes: a draft with version 1's rules, which the officer
    // who asked for it cannot publish and a second officer can.
    const rollbackDraft = await ok(
      officerA.gql<{ rollbackRuleSet: VersionView }>(ROLLBACK, { j: 'DE', v: 1 }),
    );
    expect(rollbackDraft.rollbackRuleSet).toMatchObject({
      jurisdiction: 'DE',
      version: 3,
      status: 'DRAFT',
      basedOnVersion: 1,
      rollbackOf: 1,
      lastEditedByViewer: true,
      publishedAt: null,
    });
    expect(
      rollbackDraft.rollbackRuleSet.rules.map((r) => [r.name, r.matcher.kind, r.matcher.terms]),
    ).toEqual([
      ['Insults', 'KEYWORDS', ['idiot', 'Trottel']],
      ['Email addresses', 'PII', []],
    ]);
    // Nothing changes before the second officer publishes.
    expect((await listed()).find((j) => j.code === 'DE')!.activeRuleSet).toEqual({
      id: v2.id,
      version: 2,
    });
    const againWhileDrafted = await officerB.gql(ROLLBACK, { j: 'DE', v: 1 });
    expect(againWhileDrafted.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DRAFT_EXISTS',
      ruleSetId: rollbackDraft.rollbackRuleSet.id,
    });
    const selfPublished = await officerA.gql(PUBLISH, { id: rollbackDraft.rollbackRuleSet.id });
    expect(selfPublished.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'FOUR_EYES',
    });
    const rolledBack = await ok(
      officerB.gql<{ publishRuleSet: VersionView }>(PUBLISH, {
        id: rollbackDraft.rollbackRuleSet.id,
      }),
    );
    expect(rolledBack.publishRuleSet).toMatchObject({
      version: 3,
      status: 'ACTIVE',
      basedOnVersion: 1,
      rollbackOf: 1,
    });
    de = (await listed()).find((j) => j.code === 'DE')!;
    expect(de.ruleSets.map((v) => [v.version, v.status])).toEqual([
      [3, 'ACTIVE'],
      [2, 'SUPERSEDED'],
      [1, 'SUPERSEDED'],
    ]);
    expect(
      active.evaluatePost({ body: 'idiot', boardKind: 'PUBLIC', governingJurisdictions: ['FR'] })
        .outcome.withheldIn,
    ).toEqual(['DE']);
    const rollbackConflict = await officerA.gql(ROLLBACK, { j: 'DE', v: 3 });
    expect(rollbackConflict.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_ACTIVE',
    });
    const repeated = await officerB.gql(ROLLBACK, { j: 'DE', v: 1 });
    expect(repeated.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_ACTIVE',
    });
    expect(repeated.errors?.[0]?.message).toBe(
      'The active version 3 of DE already has the rules of version 1.',
    );
    expect(codeOf(await officerA.gql(ROLLBACK, { j: 'DE', v: 99 }))).toBe('NOT_FOUND');
    expect(codeOf(await officerA.gql(ROLLBACK, { j: 'XX', v: 1 }))).toBe('BAD_USER_INPUT');

    // A rollback while a draft is open: CONFLICT under four eyes; an emergency rollback needs
    // a reason, publishes at once, and the draft moves up to stay the newest version.
    const { createRuleSetDraft: v4 } = await ok(
      officerB.gql<{ createRuleSetDraft: VersionView }>(CREATE_DRAFT, { j: 'DE', copy: false }),
    );
    expect(v4).toMatchObject({ version: 4, rules: [], basedOnVersion: null, rollbackOf: null });
    expect((await officerA.gql(ROLLBACK, { j: 'DE', v: 2 })).errors?.[0]?.extensions).toMatchObject(
      { code: 'CONFLICT', reason: 'DRAFT_EXISTS', ruleSetId: v4.id },
    );
    for (const reason of [undefined, '   ']) {
      const refused = await officerA.gql(ROLLBACK, { j: 'DE', v: 2, emergency: true, reason });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: ['reason'],
      });
    }
    const v5 = await ok(
      officerA.gql<{ rollbackRuleSet: VersionView }>(ROLLBACK, {
        j: 'DE',
        v: 2,
        emergency: true,
        reason: 'Version 3 blocks every post about the strike; court order 12/34',
      }),
    );
    expect(v5.rollbackRuleSet).toMatchObject({
      version: 4,
      status: 'ACTIVE',
      basedOnVersion: 2,
      rollbackOf: 2,
    });
    expect(
      (await ok(officerB.gql<{ ruleSet: VersionView }>(RULE_SET, { id: v4.id }))).ruleSet,
    ).toMatchObject({ version: 5, status: 'DRAFT' });

    // A subdivision is a jurisdiction of its own, listed once it has versions.
    await ok(officerA.gql(CREATE_DRAFT, { j: 'US-CA' }));
    expect((await listed()).find((j) => j.code === 'US-CA')).toMatchObject({
      ruleSets: [{ version: 1, status: 'DRAFT' }],
    });
  });

  it('writes exactly one audit entry per change, naming staff handles only', async () => {
    const rows = await auditRows();
    const [a, b] = [await staffHandle(officerA), await staffHandle(officerB)];
    // Entries of one millisecond have no order among themselves: compare as sorted lists.
    const entries = (list: Array<[string, string]>) =>
      list.map(([action, handle]) => `${action} by ${handle}`).sort();
    expect(entries(rows.map((r) => [r.action, r.actor_handle]))).toEqual(
      entries([
        ['ruleSet.createDraft', a], // v1
        ['rule.add', a],
        ['rule.add', a],
        ['rule.add', a],
        ['rule.update', a],
        ['rule.remove', a],
        ['ruleSet.publish', b], // v1
        ['ruleSet.createDraft', b], // v2
        ['rule.remove', b],
        ['rule.add', b],
        ['ruleSet.publish', a], // v2
        ['ruleSet.retroactive.start', a], // v2 was published with applyRetroactively
        ['ruleSet.retroactive.finish', a],
        ['ruleSet.rollbackDraft', a], // v3
        ['ruleSet.publish', b], // v3
        ['ruleSet.createDraft', b], // v4, later v5
        ['ruleSet.emergencyRollback', a], // v4
        ['ruleSet.createDraft', a], // US-CA
      ]),
    );
    expect(a).not.toBe(b);
    expect(new Set(rows.map((r) => r.actor_role))).toEqual(new Set(['COMPLIANCE_OFFICER']));

    const update = rows.find((r) => r.action === 'rule.update')!;
    const detail = JSON.parse(update.detail) as {
      before: { terms: string[] };
      after: { terms: string[] };
      jurisdiction: string;
    };
    expect(detail.jurisdiction).toBe('DE');
    expect(detail.before.terms).toEqual(['idiot', 'Dummkopf']);
    expect(detail.after.terms).toEqual(['idiot', 'Trottel']);
    const publish = JSON.parse(rows.find((r) => r.action === 'ruleSet.publish')!.detail) as {
      version: number;
      superseded: unknown;
    };
    expect(publish).toMatchObject({ version: 1, superseded: null });
    const detailOf = (action: string) =>
      JSON.parse(rows.find((r) => r.action === action)!.detail) as Record<string, unknown>;
    expect(detailOf('ruleSet.rollbackDraft')).toMatchObject({
      version: 3,
      restoring: { version: 1 },
      active: { version: 2 },
      rules: 2,
    });
    expect(detailOf('ruleSet.emergencyRollback')).toMatchObject({
      version: 4,
      restored: { version: 2 },
      superseded: { version: 3 },
      reason: 'Version 3 blocks every post about the strike; court order 12/34',
      draftRenumbered: { from: 4, to: 5 },
    });
    expect(rows.every((r) => /^(ruleSet|rule):[0-9a-f-]{36}$/.test(r.subject))).toBe(true);

    // Nothing in the content store names an account or an address.
    const identity = sut.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    const accountIds = (
      await identity.query<Array<{ id: string }>>(
        `SELECT id FROM ${tableName(identity, identity.getMetadata('accounts').tablePath)}`,
      )
    ).map((a) => a.id.toLowerCase());
    expect(accountIds.length).toBeGreaterThanOrEqual(4);
    const dump = await dumpStore(contentStore());
    for (const secret of [
      ...accountIds,
      ...[admin, officerA, officerB, member].map((c) => c.email.toLowerCase()),
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('settles races with CONFLICT: one draft, one publication, one active version', async () => {
    const audited = (await auditRows()).length;
    const drafts = await Promise.all(
      [officerA, officerB, officerA].map((o) =>
        o.gql<{ createRuleSetDraft: VersionView }>(CREATE_DRAFT, { j: 'FR' }),
      ),
    );
    const created = drafts.filter((r) => r.errors === undefined);
    expect(created).toHaveLength(1);
    expect(drafts.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(2);
    const draft = created[0].data!.createRuleSetDraft;
    const publisher = created[0] === drafts[1] ? officerA : officerB; // not the draft's author
    const publications = await Promise.all(
      [1, 2, 3].map(() =>
        publisher.gql<{ publishRuleSet: VersionView }>(PUBLISH, { id: draft.id }),
      ),
    );
    expect(publications.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(publications.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(2);
    await ok(officerA.gql(CREATE_DRAFT, { j: 'FR' }));
    const v2 = (
      await ok(
        officerA.gql<{
          jurisdictions: Array<{ code: string; ruleSets: Array<{ id: string; status: string }> }>;
        }>('{ jurisdictions { code ruleSets { id status } } }'),
      )
    ).jurisdictions
      .find((j) => j.code === 'FR')!
      .ruleSets.find((v) => v.status === 'DRAFT')!;
    await ok(officerA.gql(ADD_RULE, { id: v2.id, input: insults }));
    await ok(officerB.gql(PUBLISH, { id: v2.id }));
    // Two rollbacks at once: one makes the rollback draft; the other finds a draft there.
    const rollbacks = await Promise.all(
      [officerA, officerB].map((o) => o.gql(ROLLBACK, { j: 'FR', v: 1 })),
    );
    expect(rollbacks.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(rollbacks.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(1);
    const fr = (
      await ok(
        officerA.gql<{
          jurisdictions: Array<{ code: string; ruleSets: Array<{ status: string }> }>;
        }>('{ jurisdictions { code ruleSets { status } } }'),
      )
    ).jurisdictions.find((j) => j.code === 'FR')!;
    expect(fr.ruleSets.map((v) => v.status)).toEqual(['DRAFT', 'ACTIVE', 'SUPERSEDED']);
    // Only the winners were audited: 2 drafts, 1 rule, 2 publications, 1 rollback draft.
    expect((await auditRows()).length - audited).toBe(6);
  });
});

describe('Rule set publication without four eyes', () => {
  let env: IdentityTestApp;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Hooli', slug: 'hooli' }, undefined, {
      COMPLIANCE_FOUR_EYES: 'false',
    });
  });
  afterAll(async () => env.close());

  it('lets the last editor publish when COMPLIANCE_FOUR_EYES=false', async () => {
    const officer = await signUpMember(env.app, env.smtp);
    await env.admin.gql(
      'mutation ($e: String!) { grantRole(email: $e, role: COMPLIANCE_OFFICER) }',
      {
        e: officer.email,
      },
    );
    const draft = await officer.gql<{ createRuleSetDraft: { id: string } }>(CREATE_DRAFT, {
      j: 'CN',
    });
    const id = draft.data!.createRuleSetDraft.id;
    expect((await officer.gql(ADD_RULE, { id, input: insults })).errors).toBeUndefined();
    const published = await officer.gql<{ publishRuleSet: { status: string } }>(PUBLISH, { id });
    expect(published.errors).toBeUndefined();
    expect(published.data?.publishRuleSet.status).toBe('ACTIVE');

    // Without four eyes a rollback publishes at once, as an ordinary (not emergency) rollback.
    const v2 = await officer.gql<{ createRuleSetDraft: { id: string } }>(CREATE_DRAFT, {
      j: 'CN',
      copy: false,
    });
    expect(
      (await officer.gql(PUBLISH, { id: v2.data!.createRuleSetDraft.id })).errors,
    ).toBeUndefined();
    const rolledBack = await officer.gql<{ rollbackRuleSet: VersionView }>(ROLLBACK, {
      j: 'CN',
      v: 1,
    });
    expect(rolledBack.errors).toBeUndefined();
    expect(rolledBack.data?.rollbackRuleSet).toMatchObject({
      version: 3,
      status: 'ACTIVE',
      rollbackOf: 1,
      lastEditedByViewer: true,
    });
    const audit = await officer.gql<{ auditLog: { edges: Array<{ node: { action: string } }> } }>(
      '{ auditLog(first: 1) { edges { node { action } } } }',
    );
    expect(audit.data?.auditLog.edges.map((e) => e.node.action)).toEqual(['ruleSet.rollback']);
  });
});
