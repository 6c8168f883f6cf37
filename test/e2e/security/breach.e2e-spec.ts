import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { shuffled } from '../../../src/common/shuffle';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { IdentityRestamp } from '../../../src/identity/restamp/identity-restamp';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { LegacyStaffRows } from '../../../src/identity/staff/legacy-staff-rows';
import { storeTable as rawStoreTable } from '../../../src/infrastructure/database/migrations/store-table';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import { outboxDrained } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  type IdentityTestApp,
  signUpMember,
  type SignedInClient,
  verifyEmployer,
} from '../../utils/identity-client';
import { onPostgres } from '../../utils/test-env';
import { tableName } from '../../utils/store-dump';

/** Decisions in the scenario; one mixed batch holds all of them. */
const N = 12;
/**
 * An attack "succeeds" when it links at least this many of the N decisions to the right
 * account. A random order gets 1 right on average and ≥ 7 with probability < 1e-4; writing in
 * decision order (what the stores did before mixed delivery) gets all N.
 */
const LINKED = 7;

const tag = randomBytes(3).toString('hex');

/**
 * The breach suite: plays someone holding copies of both stores (and no APP_SECRET) after a
 * scenario of posts, reports and decisions with sanctions, and tries to line the identity
 * store's rows up with the content store's decisions — by physical order (SQLite rowid or
 * scan order, PostgreSQL ctid), by transaction id (PostgreSQL xmin) and by time — and to find
 * an erased account's secrets in the raw files. Each join is checked against the scenario's
 * own ground truth.
 */
describe(`Breach: copies of both stores link nobody (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  let env: IdentityTestApp;
  let identity: DataSource;
  let moderator: SignedInClient;
  const authors: Array<SignedInClient & { accountId: string }> = [];
  /** The account of the author of the k-th decision, and of its reporter. */
  const decidedAuthors: string[] = [];
  const decidedReporters: string[] = [];

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      EMAIL_CODES_PER_IP_PER_HOUR: '1000',
      AUTH_RATE_LIMIT_MAX: '1000',
      REPORT_QUEUE_THRESHOLD: '1',
      // A real mix: effects wait until N decisions are pending, however long that takes.
      IDENTITY_MIX_WINDOW_SECONDS: '0',
      IDENTITY_MIX_MIN_BATCH: String(N),
      IDENTITY_MIX_MAX_WAIT_SECONDS: '86400',
    });
    const { app, smtp, admin } = env;
    identity = app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    await createGeneralBoard(admin);
    moderator = await signUpMember(app, smtp, { email: `mod.${tag}@example.org` });
    await dataOf(
      admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: moderator.email,
      }),
    );
    for (let i = 0; i < N; i += 1) {
      const client = await signUpMember(app, smtp, { email: `author${i}.${tag}@example.org` });
      expect(
        (await verifyEmployer(app, smtp, client, `employee${i}.${tag}@initech.example`)).errors,
      ).toBeUndefined();
      const principal = await app.app.get(SessionsService).resolve(client.token);
      authors.push({ ...client, accountId: principal!.accountId });
    }
  }, 300_000);
  afterAll(async () => {
    await env?.close();
  });

  it('re-stamps sign-ins, sign-ups and verifications: transaction ids and heap order link no post (PostgreSQL)', async () => {
    if (!onPostgres()) return; // SQLite keeps no transaction ids; its order: the tests below
    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    const boardId = await generalBoardId();
    // Each author signs in and posts at once, in an order the attacker does not know.
    const posted: Array<{ account: string; thread: string }> = [];
    for (const author of shuffled(authors)) {
      const signIn = await dataOf(
        env.app.gql<{ signIn: { token: string } }>(
          'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
          { e: author.email, p: author.password },
        ),
      );
      const { createThread } = await dataOf(
        env.app.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Signed in", body: "Hello." }) { thread { id } } }',
          { b: boardId },
          { authorization: `Bearer ${signIn.signIn.token}` },
        ),
      );
      posted.push({ account: author.accountId, thread: createThread.thread.id });
    }
    const threadTable = tableName(content, content.getMetadata(ThreadEntity).tablePath);
    /** "The latest session written before the thread": how many posts it names right. */
    const sessionJoin = async (): Promise<number> => {
      const sessions = await identity.query<Array<{ account: string; x: string }>>(
        `SELECT account_id AS account, xmin::text AS x FROM ${storeTable('sessions')}`,
      );
      let right = 0;
      for (const { account, thread } of posted) {
        const [row] = await content.query<Array<{ x: string }>>(
          `SELECT xmin::text AS x FROM ${threadTable} WHERE id = $1`,
          [thread],
        );
        const before = sessions
          .filter((s) => Number(s.x) < Number(row.x))
          .sort((a, b) => Number(b.x) - Number(a.x));
        if (before[0]?.account === account) right += 1;
      }
      return right;
    };
    const signUpOrder = authors.map((a) => a.accountId);
    const heapOrder = async (table: string) =>
      hits(
        (await physicalOrder(table, 'account_id' in columnsOf(table) ? 'account_id' : 'id')).filter(
          (id) => signUpOrder.includes(id),
        ),
        signUpOrder,
      );
    // The joins work on the rows as written: the checks below can fail.
    const asWritten = {
      sessions: await sessionJoin(),
      accounts: await heapOrder('accounts'),
      memberships: await heapOrder('memberships'),
    };
    expect(asWritten.sessions).toBeGreaterThanOrEqual(LINKED);
    expect(asWritten.accounts).toBeGreaterThanOrEqual(LINKED);
    expect(asWritten.memberships).toBeGreaterThanOrEqual(LINKED);

    const { rows } = await env.app.app.get(IdentityRestamp).run();
    expect(Object.keys(rows).length).toBeGreaterThanOrEqual(3);
    const restamped = {
      sessions: await sessionJoin(),
      accounts: await heapOrder('accounts'),
      memberships: await heapOrder('memberships'),
    };
    if (process.env.BREACH_REPORT !== undefined) {
      process.stdout.write(
        `breach: sign-in joins right of ${N}: ${JSON.stringify({ asWritten, restamped })}\n`,
      );
    }
    for (const [attack, right] of Object.entries(restamped)) {
      expect({ attack, right: right < LINKED }).toEqual({ attack, right: true });
    }
    // The day's rows share one transaction id: it tells no more than their day.
    for (const table of ['accounts', 'sessions', 'memberships']) {
      const ids = await identity.query<Array<{ x: string }>>(
        `SELECT DISTINCT xmin::text AS x FROM ${storeTable(table)}`,
      );
      expect({ table, ids: ids.length }).toEqual({ table, ids: 1 });
    }
    // Nothing new: the next run leaves the tables alone.
    expect((await env.app.app.get(IdentityRestamp).run()).rows).toEqual({});
  }, 300_000);

  it('stores accounts in an order that says nothing of who signed up when (SQLite)', async () => {
    if (onPostgres()) return; // PostgreSQL: re-stamped, see the test above
    const signUpOrder = authors.map((a) => a.accountId);
    const stored = (await physicalOrder('accounts', 'id')).filter((id) => signUpOrder.includes(id));
    expect(stored).toHaveLength(N);
    expect(hits(stored, signUpOrder)).toBeLessThan(LINKED);
  });

  it('writes moderation effects in one shuffled batch: order, transaction ids and times link nothing', async () => {
    const { boardId } = await dataOf(
      authors[0].gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'),
    ).then((d) => ({ boardId: d.board.id }));
    const threads: string[] = [];
    for (const [i, author] of authors.entries()) {
      const { createThread } = await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "Read the memo." }) { thread { id } } }',
          { b: boardId, t: `Post ${i}` },
        ),
      );
      threads.push(createThread.thread.id);
    }
    // Each thread is reported by the next author; the moderator rejects them in a shuffled
    // order (the ground truth), each with the same suspension, so kinds and reasons tell
    // nothing apart either.
    for (const [i, thread] of threads.entries()) {
      await dataOf(
        authors[(i + 1) % N].gql(
          'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT) }',
          {
            c: thread,
          },
        ),
      );
    }
    const order = [...threads.keys()].sort(() => Math.random() - 0.5);
    for (const [k, i] of order.entries()) {
      const item = await queued(threads[i]);
      const { claimReviewItem } = await dataOf(
        moderator.gql<{ claimReviewItem: { version: number } }>(
          'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { version } }',
          { id: item.id, v: item.version },
        ),
      );
      await dataOf(
        moderator.gql(
          'mutation ($i: DecideReviewItemInput!) { decideReviewItem(input: $i) { id } }',
          {
            i: {
              id: item.id,
              version: claimReviewItem.version,
              decision: 'REJECT',
              reasonCode: 'harassment',
              sanction: { kind: 'SUSPENSION', days: 1 },
            },
          },
        ),
      );
      decidedAuthors.push(authors[i].accountId);
      decidedReporters.push(authors[(i + 1) % N].accountId);
      if (k === 0) {
        // Held for the batch, the first suspension already binds: the server checks pending
        // sanctions against the poster's seal, and nothing is in the identity store yet.
        const refused = await authors[i].gql(
          'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Again", body: "x" }) { thread { id } } }',
          { b: boardId },
        );
        expect(refused.errors?.[0].extensions).toMatchObject({
          code: 'FORBIDDEN',
          reason: 'SUSPENDED',
        });
      }
      if (k < N - 1) expect(await count('sanctions')).toBe(0);
    }
    await outboxDrained(env.app.app);
    expect(await count('sanctions')).toBe(N);

    const linked = {
      sanctions: hits(await physicalOrder('sanctions', 'account_id'), decidedAuthors),
      notificationsOfAuthors: hits(
        (await physicalOrder('notifications', 'account_id')).filter((id) =>
          decidedAuthors.includes(id),
        ),
        decidedAuthors,
      ),
      reporterStats: hits(await physicalOrder('reporter_stats', 'account_id'), decidedReporters),
    };
    if (process.env.BREACH_REPORT !== undefined) {
      process.stdout.write(`breach: links right of ${N}: ${JSON.stringify(linked)}\n`);
    }
    for (const [attack, right] of Object.entries(linked)) {
      expect({ attack, right: right < LINKED }).toEqual({ attack, right: true });
    }
    // Time: every row of the batch has the same coarse time.
    for (const table of ['sanctions', 'notifications']) {
      const times = await identity.query<Array<{ created_at: string | number }>>(
        `SELECT DISTINCT created_at FROM ${storeTable(table)}`,
      );
      expect(times).toHaveLength(1);
    }
    if (onPostgres()) {
      // One transaction wrote the batch's sanctions: its id tells them nothing apart.
      const xids = await identity.query<Array<{ x: string }>>(
        `SELECT DISTINCT xmin::text AS x FROM ${storeTable('sanctions')}`,
      );
      expect(xids).toHaveLength(1);
    }
  }, 300_000);

  it('keeps no sign-up, sign-in, verification or grant time finer than a day', async () => {
    const DAY = 86_400_000;
    for (const [table, column] of [
      ['accounts', 'created_at'],
      ['sessions', 'expires_at'],
      ['staff_roles', 'granted_at'],
      ['memberships', 'verified_at'],
      ['memberships', 'expires_at'],
    ]) {
      const rows = await identity.query<Array<{ t: string | number }>>(
        `SELECT ${column} AS t FROM ${storeTable(table)}`,
      );
      expect(rows.length).toBeGreaterThan(0);
      const fine = rows.filter((row) => Number(row.t) % DAY !== 0);
      expect({ table, fine }).toEqual({ table, fine: [] });
    }
  });

  it('stores memberships in an order that says nothing of who verified when (SQLite)', async () => {
    if (onPostgres()) return; // PostgreSQL: re-stamped, see the first test
    const verifiedInOrder = authors.map((a) => a.accountId);
    const stored = (await physicalOrder('memberships', 'account_id')).filter((id) =>
      verifiedInOrder.includes(id),
    );
    expect(stored).toHaveLength(N);
    expect(hits(stored, verifiedInOrder)).toBeLessThan(LINKED);
  });

  it('leaves no residue of a deleted account in the identity file (SQLite)', async () => {
    if (onPostgres()) return; // PostgreSQL's residue is described in docs/anonymity.md
    const leaving = authors[N - 1];
    const [row] = await identity.query<
      Array<{ email_index: string; password_hash: string; seal_id: string }>
    >(`SELECT email_index, password_hash, seal_id FROM ${storeTable('accounts')} WHERE id = ?`, [
      leaving.accountId,
    ]);
    const secrets = [leaving.accountId, row.email_index, row.password_hash, row.seal_id];
    const before = rawIdentity();
    expect(secrets.filter((s) => before.includes(s))).not.toHaveLength(0);
    await dataOf(
      leaving.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
        p: leaving.password,
      }),
    );
    const after = rawIdentity();
    expect(secrets.filter((s) => after.includes(s))).toEqual([]);
  });

  it('resolves no staff handle to an account: role rows hold keyed holders and the day only', async () => {
    const moderatorId = (await env.app.app.get(SessionsService).resolve(moderator.token))!
      .accountId;
    const accountIds = new Set(
      (await identity.query<Array<{ id: string }>>(`SELECT id FROM ${storeTable('accounts')}`)).map(
        (r) => r.id,
      ),
    );
    expect(accountIds.has(moderatorId)).toBe(true);
    const roles = await identity.query<Array<{ holder: string; granted_at: string | number }>>(
      `SELECT holder, granted_at FROM ${storeTable('staff_roles')}`,
    );
    expect(roles.length).toBeGreaterThanOrEqual(2); // the admin and the moderator
    for (const row of roles) {
      expect(accountIds.has(row.holder)).toBe(false);
      expect(Number(row.granted_at) % 86_400_000).toBe(0);
    }
    // The moderator's id is in no table but their own account's rows.
    for (const table of ['staff_roles', 'staff_scopes', 'sanctions', 'notifications']) {
      const dump = JSON.stringify(await identity.query(`SELECT * FROM ${storeTable(table)}`));
      expect({ table, found: dump.includes(moderatorId) }).toEqual({ table, found: false });
    }
  });

  it('moves roles and scopes of an earlier version to keyed holders when the server starts', async () => {
    const member = authors[0];
    await identity.query(
      `INSERT INTO ${rawTable('account_roles')} (account_id, role, granted_at) VALUES (${onPostgres() ? '$1, $2, $3' : '?, ?, ?'})`,
      [member.accountId, 'COMPLIANCE_OFFICER', Date.now()],
    );
    await env.app.app.get(LegacyStaffRows).onApplicationBootstrap();
    const { viewer } = await dataOf(
      member.gql<{ viewer: { roles: string[] } }>('{ viewer { roles } }'),
    );
    expect(viewer.roles).toContain('COMPLIANCE_OFFICER');
    expect(await identity.query(`SELECT * FROM ${rawTable('account_roles')}`)).toEqual([]);
  });

  it("leaves no residue of a deleted thread's text in the content file (SQLite)", async () => {
    if (onPostgres()) return; // PostgreSQL's residue is described in docs/anonymity.md
    // Every author of the first test is suspended: a newcomer writes this one.
    const writer = await signUpMember(env.app, env.smtp, { email: `writer.${tag}@example.org` });
    expect(
      (await verifyEmployer(env.app, env.smtp, writer, `writer.${tag}@initech.example`)).errors,
    ).toBeUndefined();
    const { board } = await dataOf(
      writer.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }'),
    );
    const secret = `Layoffs-${randomBytes(6).toString('hex')}`;
    const { createThread } = await dataOf(
      writer.gql<{ createThread: { thread: { id: string } } }>(
        'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: $t }) { thread { id } } }',
        { b: board.id, t: secret },
      ),
    );
    expect(rawFiles('content')).toContain(secret);
    await dataOf(
      writer.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: createThread.thread.id }),
    );
    expect(rawFiles('content')).not.toContain(secret);
  });

  it("indexes members' own posts by keyed slots that link no post to an account or another post", async () => {
    const writers: SignedInClient[] = [];
    for (const name of ['left', 'right']) {
      const writer = await signUpMember(env.app, env.smtp, { email: `${name}.${tag}@example.org` });
      await dataOf(verifyEmployer(env.app, env.smtp, writer, `${name}.${tag}@initech.example`));
      writers.push(writer);
    }
    const boardId = await generalBoardId();
    const written: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { createThread } = await dataOf(
        writers[i % 2].gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "Mine." }) { thread { id } } }',
          { b: boardId, t: `Own ${i}` },
        ),
      );
      written.push(createThread.thread.id);
    }
    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    const slots = tableName(
      content,
      content.entityMetadatas.find((m) => m.tableName === 'own_post_slots')!.tablePath,
    );
    // The table holds a keyed token and the post: no account, no time, nothing else.
    const [first] = await content.query<Array<Record<string, unknown>>>(
      `SELECT * FROM ${slots} LIMIT 1`,
    );
    expect(Object.keys(first).sort()).toEqual(['post_id', 'slot_token']);
    const rows = (
      await content.query<Array<{ slot_token: string; post_id: string }>>(
        onPostgres()
          ? `SELECT slot_token, post_id FROM ${slots} ORDER BY ctid`
          : `SELECT slot_token, post_id FROM ${slots} NOT INDEXED`,
      )
    ).filter((r) => written.includes(r.post_id));
    expect(rows.map((r) => r.post_id).sort()).toEqual([...written].sort());
    // No token recurs, and none is found anywhere in the identity store or among the
    // posts' other keyed values: there is nothing to join on without the key.
    const tokens = rows.map((r) => r.slot_token);
    expect(new Set(tokens).size).toBe(tokens.length);
    const identityFile = onPostgres() ? '' : rawIdentity();
    const authorTokens = (await content.getRepository(ThreadEntity).find()).flatMap((t) => [
      t.authorToken,
      t.sealedRef,
      t.id,
    ]);
    for (const token of tokens) {
      expect(identityFile).not.toContain(token);
      expect(authorTokens).not.toContain(token);
    }
    // SQLite: rows lie in the order of their token, not in the order the posts were written.
    if (!onPostgres()) expect(tokens).toEqual([...tokens].sort());
    // With the key, the server finds each writer's own, and only theirs.
    for (const [w, writer] of writers.entries()) {
      const { viewer } = await dataOf(
        writer.gql<{ viewer: { threads: { edges: Array<{ node: { id: string } }> } } }>(
          '{ viewer { threads(first: 10) { edges { node { id } } } } }',
        ),
      );
      expect(viewer.threads.edges.map((e) => e.node.id)).toEqual(
        written.filter((_, i) => i % 2 === w).reverse(),
      );
    }
  });

  const rawIdentity = () => rawFiles('identity');
  const rawFiles = (store: 'identity' | 'content') => {
    const dir = env.app.config.DATA_DIR;
    return [`${store}.sqlite`, `${store}.sqlite-wal`]
      .map((file) => {
        try {
          return readFileSync(join(dir, file)).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('\n');
  };

  const queued = async (contentId: string) => {
    const { reviewQueue } = await dataOf(
      moderator.gql<{
        reviewQueue: {
          edges: Array<{ node: { id: string; version: number; content: { id: string } } }>;
        };
      }>(
        '{ reviewQueue(first: 100) { edges { node { id version content { ... on Thread { id } } } } } }',
      ),
    );
    const item = reviewQueue.edges.map((e) => e.node).find((n) => n.content.id === contentId);
    if (item === undefined) throw new Error(`no review item for ${contentId}`);
    return item;
  };

  const generalBoardId = async () =>
    (await dataOf(authors[0].gql<{ board: { id: string } }>('{ board(slug: "general") { id } }')))
      .board.id;

  const columnsOf = (table: string) =>
    Object.fromEntries(
      identity.entityMetadatas
        .find((m) => m.tableName === table)!
        .columns.map((c) => [c.databaseName, true]),
    );

  /** A table that has no entity (any more), in the store's schema. */
  const rawTable = (name: string) => rawStoreTable(identity, name);

  /** A table of the identity store by its name, as its SQL needs it. */
  const storeTable = (name: string) =>
    tableName(identity, identity.entityMetadatas.find((m) => m.tableName === name)!.tablePath);

  const count = async (table: string) => {
    const [row] = await identity.query<Array<{ n: string | number }>>(
      `SELECT COUNT(*) AS n FROM ${storeTable(table)}`,
    );
    return Number(row.n);
  };

  /** The column's values in the order the rows lie in the file (what a raw copy shows). */
  const physicalOrder = async (table: string, column: string): Promise<string[]> => {
    const from = storeTable(table);
    const rows = await identity.query<Array<{ v: string }>>(
      onPostgres()
        ? `SELECT ${column} AS v FROM ${from} ORDER BY ctid`
        : `SELECT ${column} AS v FROM ${from} NOT INDEXED`,
    );
    return rows.map((r) => r.v);
  };
});

/** How many positions of `observed` name the account of the same position in `truth`. */
function hits(observed: string[], truth: string[]): number {
  return truth.filter((account, k) => observed[k] === account).length;
}
