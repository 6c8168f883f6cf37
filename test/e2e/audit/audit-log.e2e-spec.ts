import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '../../../src/audit/audit-trail.service';
import {
  CONTENT_STORE,
  IDENTITY_STORE,
  type StoreName,
} from '../../../src/infrastructure/database/stores';
import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { tableName } from '../../utils/store-dump';
import { clockPast } from '../../utils/wait';

const LOG = `query ($first: Int!, $after: String, $action: String) {
  auditLog(first: $first, after: $after, action: $action) {
    edges { cursor node { id at actorHandle actorRole action subject detail hash log seq } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const VERIFY = '{ verifyAuditLog { ok checked firstBadEntryId heads { log seq hash } } }';

interface Entry {
  id: string;
  actorHandle: string;
  actorRole: string;
  action: string;
  subject: string;
  detail: string;
  log: string;
  seq: number;
}
interface Verification {
  ok: boolean;
  checked: number;
  firstBadEntryId: string | null;
}

describe('Audit log: one entry per change, in its transaction, in a verifiable chain (SPEC §6)', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let member: SignedInClient;

  /** Every entry `query` selects, newest first, read page by page through the API. */
  async function paged<T>(
    client: SignedInClient,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T[]> {
    const entries: T[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        auditLog: {
          edges: Array<{ node: T }>;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await dataOf(client.gql(query, { ...variables, after }));
      entries.push(...page.auditLog.edges.map((e) => e.node));
      if (!page.auditLog.pageInfo.hasNextPage) return entries;
      after = page.auditLog.pageInfo.endCursor;
    }
  }
  const allEntries = (client: SignedInClient = officerA) => paged<Entry>(client, LOG, { first: 7 });
  /** The entries `work` added. */
  async function added(work: () => Promise<unknown>): Promise<Entry[]> {
    const before = new Set((await allEntries()).map((e) => e.id));
    await work();
    return (await allEntries()).filter((e) => !before.has(e.id));
  }
  const verify = async () =>
    (await dataOf(officerA.gql<{ verifyAuditLog: Verification }>(VERIFY))).verifyAuditLog;
  const store = (name: StoreName) => env.app.app.get<DataSource>(getDataSourceToken(name));
  const auditTable = (dataSource: DataSource) =>
    tableName(dataSource, dataSource.getMetadata('audit_events').tablePath);
  const mark = (dataSource: DataSource, n: number) =>
    dataSource.options.type === 'postgres' ? `$${n}` : '?';

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Hooli', slug: 'hooli' });
    [officerA, officerB, member] = await Promise.all(
      [1, 2, 3].map(() => signUpMember(env.app, env.smtp)),
    );
    await grantOfficers(env.admin, [officerA, officerB]);
  });
  afterAll(async () => env.close());

  it('writes exactly one entry per audited operation, naming no account', async () => {
    const one = async (work: () => Promise<unknown>, action: string, log: string) => {
      const entries = await added(work);
      expect(entries.map((e) => [e.action, e.log])).toEqual([[action, log]]);
      return entries[0];
    };
    const grant = await one(
      () =>
        dataOf(
          env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
            e: member.email,
          }),
        ),
      'role.grant',
      'identity',
    );
    expect(grant).toMatchObject({
      actorRole: 'ADMIN',
      subject: expect.stringMatching(/^staff:Staff /),
    });
    expect(JSON.parse(grant.detail)).toEqual({ after: true, before: false, role: 'MODERATOR' });
    // Granting what is already held changes nothing and records nothing.
    expect(
      await added(() =>
        dataOf(
          env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
            e: member.email,
          }),
        ),
      ),
    ).toEqual([]);
    await one(
      () =>
        dataOf(
          env.admin.gql('mutation ($e: String!) { revokeRole(email: $e, role: MODERATOR) }', {
            e: member.email,
          }),
        ),
      'role.revoke',
      'identity',
    );
    const company = await one(
      () =>
        dataOf(
          env.admin.gql(
            'mutation { createCompany(name: "Pied Piper", slug: "pied-piper", domains: ["piedpiper.example"], industry: "Internet", sizeBand: "1–50", jurisdiction: "US") { id } }',
          ),
        ),
      'company.create',
      'identity',
    );
    const companyId = company.subject.replace('company:', '');
    await one(
      () =>
        dataOf(
          env.admin.gql(
            'mutation ($c: ID!) { addCompanyDomain(companyId: $c, domain: "pp.example") { id } }',
            { c: companyId },
          ),
        ),
      'company.addDomain',
      'identity',
    );
    await one(
      () =>
        dataOf(
          env.admin.gql(
            'mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }',
            {
              e: member.email,
              c: companyId,
            },
          ),
        ),
      'moderator.scope',
      'identity',
    );
    const board = await one(
      () =>
        dataOf(
          env.admin.gql(
            'mutation { createBoard(slug: "audited-board", name: "Audited", jurisdiction: "US") { id } }',
          ),
        ),
      'board.create',
      'content',
    );
    expect(board).toMatchObject({ actorRole: 'ADMIN', subject: expect.stringMatching(/^board:/) });
    expect(JSON.parse(board.detail)).toEqual({
      after: { slug: 'audited-board', name: 'Audited', kind: 'PUBLIC', jurisdiction: 'US' },
    });
    let draft = '';
    await one(
      async () => {
        draft = await draftRuleSet(officerA, 'FR', []);
      },
      'ruleSet.createDraft',
      'content',
    );
    await one(
      () =>
        dataOf(
          officerA.gql(
            'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
            {
              id: draft,
              input: {
                name: 'Example',
                matcher: { kind: 'KEYWORDS', terms: ['exemple'] },
                action: 'WITHHOLD',
                legalBasis: 'Example',
                explanation: 'Example.',
              },
            },
          ),
        ),
      'rule.add',
      'content',
    );
    await one(() => publishRuleSet(officerB, draft), 'ruleSet.publish', 'content');

    // No entry names an account id or an address.
    const accountIds = (
      await store(IDENTITY_STORE).query<Array<{ id: string }>>(
        `SELECT id FROM ${tableName(store(IDENTITY_STORE), store(IDENTITY_STORE).getMetadata('accounts').tablePath)}`,
      )
    ).map((r) => r.id);
    const text = JSON.stringify(await allEntries()).toLowerCase();
    for (const secret of [...accountIds, member.email, officerA.email, env.admin.email]) {
      expect(text).not.toContain(secret.toLowerCase());
    }
    expect(await verify()).toMatchObject({ ok: true, firstBadEntryId: null });
  });

  it('narrows the log by actor, time and action, page by page, with the details parsed', async () => {
    const NARROWED = `query ($first: Int!, $after: String, $action: String, $actor: String, $from: DateTime, $to: DateTime) {
      auditLog(first: $first, after: $after, action: $action, actorHandle: $actor, from: $from, to: $to) {
        edges { node { id at actorHandle action subject detail details } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type Narrowed = Entry & { at: string; details: Record<string, unknown> };
    const narrowed = (variables: Record<string, unknown>) =>
      paged<Narrowed>(officerB, NARROWED, { first: 2, ...variables });
    const handleA = (
      await dataOf(officerA.gql<{ viewer: { staffHandle: string } }>('{ viewer { staffHandle } }'))
    ).viewer.staffHandle;
    const everything = await allEntries();

    // By actor: exactly officer A's entries, in the same order as in the whole log.
    const byA = await narrowed({ actor: handleA });
    expect(byA.length).toBeGreaterThanOrEqual(2);
    expect(byA.map((e) => e.id)).toEqual(
      everything.filter((e) => e.actorHandle === handleA).map((e) => e.id),
    );
    expect(await narrowed({ actor: 'Staff Nobody 0000' })).toEqual([]);

    // By time: [from, to) holds what happened in between, and nothing from before.
    // Entries are stamped to the millisecond: `from` is later than every earlier entry.
    await clockPast();
    const from = new Date();
    await clockPast(from.getTime());
    const draft = await draftRuleSet(officerA, 'IT', []);
    const to = new Date(Date.now() + 1);
    const between = await narrowed({ from: from.toISOString(), to: to.toISOString() });
    expect(between.map((e) => [e.action, e.subject])).toEqual([
      ['ruleSet.createDraft', `ruleSet:${draft}`],
    ]);
    // The details are the detail's JSON, parsed.
    expect(between[0].details).toEqual(JSON.parse(between[0].detail));
    expect(between[0].details).toMatchObject({ jurisdiction: 'IT', version: 1 });
    expect(await narrowed({ to: from.toISOString() })).toHaveLength(everything.length);
    expect(await narrowed({ from: to.toISOString() })).toEqual([]);

    // Combined: every given filter applies.
    const drafts = await narrowed({ actor: handleA, action: 'ruleSet.createDraft' });
    expect(drafts.map((e) => e.id)).toEqual(
      (await allEntries())
        .filter((e) => e.actorHandle === handleA && e.action === 'ruleSet.createDraft')
        .map((e) => e.id),
    );
    expect(drafts.length).toBeGreaterThanOrEqual(2);

    // An empty or reversed range is refused.
    const reversed = await officerB.gql(NARROWED, {
      first: 5,
      from: to.toISOString(),
      to: from.toISOString(),
    });
    expect(reversed.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['from', 'to'],
    });
  });

  it('keeps an action and its entry together: a failure on either side leaves neither', async () => {
    const roles = async () =>
      (await dataOf(member.gql<{ viewer: { roles: string[] } }>('{ viewer { roles } }'))).viewer
        .roles;
    const trail = env.app.app.get(AuditTrail);
    const grant = () =>
      env.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: COMPLIANCE_OFFICER) }', {
        e: member.email,
      });

    // The entry cannot be written: the role is not granted.
    const failing = jest.spyOn(trail, 'record').mockRejectedValueOnce(new Error('disk full'));
    const before = (await allEntries()).length;
    expect((await grant()).errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    failing.mockRestore();
    expect(await roles()).not.toContain('COMPLIANCE_OFFICER');

    // The entry is written, then the transaction fails after it: neither stays.
    const original = trail.record.bind(trail);
    const after = jest.spyOn(trail, 'record').mockImplementationOnce(async (manager, entry) => {
      await original(manager, entry);
      throw new Error('crash after the entry');
    });
    expect((await grant()).errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    after.mockRestore();
    expect(await roles()).not.toContain('COMPLIANCE_OFFICER');
    expect((await allEntries()).length).toBe(before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('detects an edited, a deleted and a missing last entry', async () => {
    const entries = await allEntries();
    const content = entries.filter((e) => e.log === 'content').sort((a, b) => a.seq - b.seq);
    expect(content.length).toBeGreaterThanOrEqual(3);
    const db = store(CONTENT_STORE);
    const table = auditTable(db);
    const ok = await verify();
    expect(ok.ok).toBe(true);

    // Edit the detail of one entry in the middle.
    const victim = content[1];
    await db.query(`UPDATE ${table} SET detail = ${mark(db, 1)} WHERE id = ${mark(db, 2)}`, [
      '{"role":"ADMIN"}',
      victim.id,
    ]);
    expect(await verify()).toMatchObject({ ok: false, firstBadEntryId: victim.id });
    await db.query(`UPDATE ${table} SET detail = ${mark(db, 1)} WHERE id = ${mark(db, 2)}`, [
      victim.detail,
      victim.id,
    ]);
    expect(await verify()).toMatchObject({ ok: true });

    // Delete one in the middle: the entry after the gap is reported.
    const saved = await db.query<Array<Record<string, unknown>>>(
      `SELECT * FROM ${table} WHERE id = ${mark(db, 1)}`,
      [victim.id],
    );
    await db.query(`DELETE FROM ${table} WHERE id = ${mark(db, 1)}`, [victim.id]);
    expect(await verify()).toMatchObject({ ok: false, firstBadEntryId: content[2].id });
    const row = saved[0];
    const columns = Object.keys(row);
    await db.query(
      `INSERT INTO ${table} (${columns.map((c) => db.driver.escape(c)).join(', ')}) VALUES (${columns.map((_, i) => mark(db, i + 1)).join(', ')})`,
      columns.map((c) => row[c]),
    );
    expect(await verify()).toMatchObject({ ok: true });

    // Delete the newest: the head no longer matches; the last entry left is reported.
    const newest = content[content.length - 1];
    await db.query(`DELETE FROM ${table} WHERE id = ${mark(db, 1)}`, [newest.id]);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadEntryId: content[content.length - 2].id,
    });
  });

  it('keeps the log to compliance officers and admins', async () => {
    expect((await member.gql(LOG, { first: 5 })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await env.app.gql(VERIFY)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await env.admin.gql(LOG, { first: 5 })).errors).toBeUndefined();
    const filtered = await dataOf(
      officerA.gql<{ auditLog: { edges: Array<{ node: Entry }> } }>(LOG, {
        first: 50,
        action: 'role.grant',
      }),
    );
    expect(filtered.auditLog.edges.length).toBeGreaterThan(0);
    expect(filtered.auditLog.edges.every((e) => e.node.action === 'role.grant')).toBe(true);
    expect(
      (await officerA.gql(LOG, { first: 5, after: 'nonsense' })).errors?.[0].extensions?.code,
    ).toBe('BAD_USER_INPUT');
    // Cursors hold the entry's time, chain and position sealed: none of it can be read.
    const page = await dataOf(
      officerA.gql<{
        auditLog: {
          edges: Array<{ cursor: string; node: Entry }>;
          pageInfo: { endCursor: string };
        };
      }>(LOG, { first: 3 }),
    );
    for (const { cursor, node } of page.auditLog.edges) {
      const inside = Buffer.from(cursor, 'base64url').toString('latin1');
      expect(inside).not.toContain(node.log);
      expect(inside).not.toMatch(/\d{5,}/);
    }
    const cursor = page.auditLog.pageInfo.endCursor;
    const middle = Math.floor(cursor.length / 2);
    const tampered = `${cursor.slice(0, middle)}${cursor[middle] === 'A' ? 'B' : 'A'}${cursor.slice(middle + 1)}`;
    expect(
      (await officerA.gql(LOG, { first: 5, after: tampered })).errors?.[0].extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect((await officerA.gql(LOG, { first: 5, after: cursor })).errors).toBeUndefined();
  });
});
