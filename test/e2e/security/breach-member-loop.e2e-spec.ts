import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { shuffled } from '../../../src/common/shuffle';
import { BookmarkRecordEntity } from '../../../src/identity/bookmarks/bookmark-record.entity';
import { NotificationEntity } from '../../../src/identity/moderation/notification.entity';
import { IdentityRestamp } from '../../../src/identity/restamp/identity-restamp';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { PollVoteEntity } from '../../../src/posts/poll.entity';
import { ThreadFollowEntity } from '../../../src/posts/thread-follow.entity';
import { dataOf } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import { outboxDrained, pendingEvents } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  type IdentityTestApp,
  signUpMember,
  type SignedInClient,
  verifyEmployer,
} from '../../utils/identity-client';
import { tableName } from '../../utils/store-dump';
import { onPostgres } from '../../utils/test-env';

/** Members in the scenario; one mixed batch holds all their comments' notifications. */
const N = 12;
/** As in breach.e2e-spec.ts: ≥ 7 of 12 right by chance has probability < 1e-4. */
const LINKED = 7;

const tag = randomBytes(3).toString('hex');

/**
 * The breach suite for the member's loop: someone holding copies of both stores (no
 * APP_SECRET) tries to link follows, bookmarks and reply notifications to accounts — by the
 * order rows lie in (SQLite without rowid, PostgreSQL ctid), by transaction id (xmin) and by
 * time — and looks for what unfollowing and erasure leave in the files.
 */
describe(`Breach: follows, bookmarks, poll votes and reply notifications link nobody (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  let env: IdentityTestApp;
  let identity: DataSource;
  let content: DataSource;
  let boardId: string;
  const members: Array<SignedInClient & { accountId: string }> = [];
  const threads: string[] = [];

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      EMAIL_CODES_PER_IP_PER_HOUR: '1000',
      AUTH_RATE_LIMIT_MAX: '1000',
      IDENTITY_MIX_WINDOW_SECONDS: '0',
      IDENTITY_MIX_MIN_BATCH: String(N),
      IDENTITY_MIX_MAX_WAIT_SECONDS: '86400',
    });
    identity = env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    boardId = await createGeneralBoard(env.admin);
    for (let i = 0; i < N; i += 1) {
      const client = await signUpMember(env.app, env.smtp, {
        email: `loop${i}.${tag}@example.org`,
      });
      await dataOf(verifyEmployer(env.app, env.smtp, client, `loop${i}.${tag}@initech.example`));
      const principal = await env.app.app.get(SessionsService).resolve(client.token);
      members.push({ ...client, accountId: principal!.accountId });
    }
    for (const [i, member] of members.entries()) {
      threads.push(await postThread(member, boardId, `Loop ${i}`, 'Thoughts?'));
    }
  }, 300_000);
  afterAll(async () => env?.close());

  it('writes reply and followed-thread notifications in one shuffled batch: order, transaction ids and times link nothing', async () => {
    // Member i follows thread i+3, in an order the attacker does not know.
    for (const i of shuffled([...members.keys()])) await follow(members[i], threads[(i + 3) % N]);
    // Thread i gets a comment from member i+1, in a random order (the ground truth): its
    // author hears a REPLY, its follower (member i-3) FOLLOWED_THREAD_ACTIVITY.
    const repliedTo: string[] = [];
    const followers: string[] = [];
    for (const [k, i] of shuffled([...threads.keys()]).entries()) {
      await postComment(members[(i + 1) % N], threads[i], 'Agreed.');
      repliedTo.push(members[i].accountId);
      followers.push(members[(i - 3 + N) % N].accountId);
      // Held for the batch: nothing is in the identity store before the last comment.
      if (k < N - 1) expect(await countNotifications()).toBe(0);
    }
    await outboxDrained(env.app.app);
    expect(await pendingEvents(env.app.app)).toEqual([]);
    // The rows tell their kinds apart no more than their accounts: every kind is sealed.
    const physical = await physicalOrder();
    expect(new Set(physical.map((r) => r.kind))).toEqual(new Set(['SEALED']));
    const accounts = physical.map((r) => r.account);
    expect([...accounts].sort()).toEqual([...repliedTo, ...followers].sort());
    // The attacker's best guess by order: each comment's two notices in the comments' order.
    const truth = repliedTo.flatMap((account, k) => [account, followers[k]]);
    const swapped = repliedTo.flatMap((account, k) => [followers[k], account]);
    const linked = {
      order: Math.max(hits(accounts, truth), hits(accounts, swapped)),
    };
    if (process.env.BREACH_REPORT !== undefined) {
      process.stdout.write(
        `breach (member loop): links right of ${2 * N}: ${JSON.stringify(linked)}\n`,
      );
    }
    // Random order: about 2 of 24 right on average; ≥ 12 has probability < 1e-6.
    for (const [attack, right] of Object.entries(linked)) {
      expect({ attack, right: right < N }).toEqual({ attack, right: true });
    }
    // Time: one coarse time for the whole batch; PostgreSQL: one transaction id.
    const notifications = storeTable(identity, NotificationEntity);
    const times = await identity.query<Array<{ t: string | number }>>(
      `SELECT DISTINCT created_at AS t FROM ${notifications}`,
    );
    expect(times).toHaveLength(1);
    expect(Number(times[0].t) % 3_600_000).toBe(0);
    if (onPostgres()) {
      const xids = await identity.query<Array<{ x: string }>>(
        `SELECT DISTINCT xmin::text AS x FROM ${notifications}`,
      );
      expect(xids).toHaveLength(1);
    }
  }, 300_000);

  it('keeps follows as keyed tokens, a thread and a sealed reference: nothing to join on, no order (SQLite)', async () => {
    const table = storeTable(content, ThreadFollowEntity);
    const [first] = await content.query<Array<Record<string, unknown>>>(
      `SELECT * FROM ${table} LIMIT 1`,
    );
    expect(Object.keys(first).sort()).toEqual(['follow_token', 'sealed_ref', 'thread_id']);
    const rows = await content.query<Array<{ follow_token: string; sealed_ref: string }>>(
      onPostgres() ? `SELECT * FROM ${table} ORDER BY ctid` : `SELECT * FROM ${table} NOT INDEXED`,
    );
    expect(rows).toHaveLength(N);
    const identityDump =
      JSON.stringify(
        await identity.query(`SELECT * FROM ${storeTable(identity, NotificationEntity)}`),
      ) + JSON.stringify(await identity.query(`SELECT * FROM ${rawTable(identity, 'accounts')}`));
    for (const row of rows) {
      expect(identityDump).not.toContain(row.follow_token);
      expect(identityDump).not.toContain(row.sealed_ref);
      for (const m of members) expect(JSON.stringify(row)).not.toContain(m.accountId);
    }
    expect(new Set(rows.map((r) => r.sealed_ref)).size).toBe(N);
    // SQLite: rows lie in the order of their token, not in the order of following.
    if (!onPostgres()) {
      const tokens = rows.map((r) => r.follow_token);
      expect(tokens).toEqual([...tokens].sort());
    }
  });

  it('re-stamps sign-ins and bookmarks: a follow next to them names nobody by transaction id (PostgreSQL)', async () => {
    if (!onPostgres()) return; // SQLite keeps no transaction ids
    const followedBy: Array<{ account: string; thread: string }> = [];
    for (const i of shuffled([...members.keys()])) {
      const signIn = await dataOf(
        env.app.gql<{ signIn: { token: string } }>(
          'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
          { e: members[i].email, p: members[i].password },
        ),
      );
      const thread = threads[(i + 5) % N];
      const auth = { authorization: `Bearer ${signIn.signIn.token}` };
      await dataOf(
        env.app.gql('mutation ($id: ID!) { followThread(id: $id) { id } }', { id: thread }, auth),
      );
      // …and bookmarks it at once: the identity store's record changes right after the follow.
      await dataOf(
        env.app.gql('mutation ($id: ID!) { bookmarkThread(id: $id) { id } }', { id: thread }, auth),
      );
      followedBy.push({ account: members[i].accountId, thread });
    }
    const follows = storeTable(content, ThreadFollowEntity);
    const sessions = rawTable(identity, 'sessions');
    /** "The latest session written before the follow": how many follows it names right. */
    const sessionJoin = async () => {
      const rows = await identity.query<Array<{ account: string; x: string }>>(
        `SELECT account_id AS account, xmin::text AS x FROM ${sessions}`,
      );
      const followRows = await content.query<Array<{ thread: string; x: string }>>(
        `SELECT thread_id AS thread, xmin::text AS x FROM ${follows}`,
      );
      let right = 0;
      for (const { account, thread } of followedBy) {
        // The newest follow of that thread (the one just made).
        const xs = followRows.filter((f) => f.thread === thread).map((f) => Number(f.x));
        const x = Math.max(...xs);
        const before = rows
          .filter((s) => Number(s.x) < x)
          .sort((a, b) => Number(b.x) - Number(a.x));
        if (before[0]?.account === account) right += 1;
      }
      return right;
    };
    const bookmarks = storeTable(identity, BookmarkRecordEntity);
    /** "The bookmark record written next after the follow": how many follows it names right. */
    const bookmarkJoin = async () => {
      const rows = await identity.query<Array<{ account: string; x: string }>>(
        `SELECT account_id AS account, xmin::text AS x FROM ${bookmarks} ORDER BY ctid`,
      );
      const followRows = await content.query<Array<{ thread: string; x: string }>>(
        `SELECT thread_id AS thread, xmin::text AS x FROM ${follows}`,
      );
      let right = 0;
      for (const { account, thread } of followedBy) {
        const x = Math.max(
          ...followRows.filter((f) => f.thread === thread).map((f) => Number(f.x)),
        );
        const after = rows.filter((b) => Number(b.x) > x);
        const next = after.reduce<(typeof rows)[number] | undefined>(
          (best, b) => (best === undefined || Number(b.x) < Number(best.x) ? b : best),
          undefined,
        );
        if (next?.account === account) right += 1;
      }
      return right;
    };
    const asWritten = { sessions: await sessionJoin(), bookmarks: await bookmarkJoin() };
    expect(asWritten.sessions).toBeGreaterThanOrEqual(LINKED);
    expect(asWritten.bookmarks).toBeGreaterThanOrEqual(LINKED);
    const { rows: restampedRows } = await env.app.app.get(IdentityRestamp).run();
    expect(Object.keys(restampedRows).some((t) => t.includes('bookmark_records'))).toBe(true);
    const restamped = { sessions: await sessionJoin(), bookmarks: await bookmarkJoin() };
    if (process.env.BREACH_REPORT !== undefined) {
      process.stdout.write(
        `breach (member loop): follow after sign-in ${JSON.stringify({ asWritten, restamped })}\n`,
      );
    }
    expect(restamped.sessions).toBeLessThan(LINKED);
    expect(restamped.bookmarks).toBeLessThan(LINKED);
    const xids = await identity.query<Array<{ x: string }>>(
      `SELECT DISTINCT xmin::text AS x FROM ${bookmarks}`,
    );
    expect(xids).toHaveLength(1);
  }, 300_000);

  it('keeps poll votes as keyed tokens and chosen options: no account, time or order; a vote right after a sign-in names nobody once re-stamped', async () => {
    const { createThread } = await dataOf(
      members[0].gql<{
        createThread: { thread: { poll: { id: string; options: Array<{ id: string }> } } };
      }>(
        `mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Lunch poll", body: "Vote",
          poll: { question: "Where?", options: ["Canteen", "Out", "Desk"] } }) { thread { poll { id options { id } } } } }`,
        { b: boardId },
      ),
    );
    const poll = createThread.thread.poll;
    /** Who voted, in the order they voted (each vote its own transaction). */
    const votedBy: string[] = [];
    for (const i of shuffled([...members.keys()])) {
      const signIn = await dataOf(
        env.app.gql<{ signIn: { token: string } }>(
          'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
          { e: members[i].email, p: members[i].password },
        ),
      );
      await dataOf(
        env.app.gql(
          'mutation ($p: ID!, $o: [ID!]!) { votePoll(pollId: $p, optionIds: $o) { id } }',
          { p: poll.id, o: [poll.options[i % 3].id] },
          { authorization: `Bearer ${signIn.signIn.token}` },
        ),
      );
      votedBy.push(members[i].accountId);
    }
    const table = storeTable(content, PollVoteEntity);
    const rows = await content.query<Array<Record<string, string>>>(
      onPostgres()
        ? `SELECT *, xmin::text AS x FROM ${table} ORDER BY ctid`
        : `SELECT * FROM ${table} NOT INDEXED`,
    );
    expect(rows).toHaveLength(N);
    expect(
      Object.keys(rows[0])
        .filter((k) => k !== 'x')
        .sort(),
    ).toEqual(['option_id', 'poll_id', 'voter_token']);
    const identityDump = JSON.stringify(
      await identity.query(`SELECT * FROM ${rawTable(identity, 'accounts')}`),
    );
    for (const row of rows) {
      expect(identityDump).not.toContain(row.voter_token);
      for (const m of members) expect(JSON.stringify(row)).not.toContain(m.accountId);
    }
    if (!onPostgres()) {
      // SQLite: rows lie in the order of their token, not in the order of voting.
      const tokens = rows.map((r) => r.voter_token);
      expect(tokens).toEqual([...tokens].sort());
      return;
    }
    // PostgreSQL: "the latest session written before the vote" against who really voted.
    const votes = rows.map((r) => Number(r.x)).sort((a, b) => a - b);
    const sessions = rawTable(identity, 'sessions');
    const sessionJoin = async () => {
      const written = await identity.query<Array<{ account: string; x: string }>>(
        `SELECT account_id AS account, xmin::text AS x FROM ${sessions}`,
      );
      let right = 0;
      for (const [k, x] of votes.entries()) {
        const before = written
          .filter((s) => Number(s.x) < x)
          .sort((a, b) => Number(b.x) - Number(a.x));
        if (before[0]?.account === votedBy[k]) right += 1;
      }
      return right;
    };
    const asWritten = await sessionJoin();
    expect(asWritten).toBeGreaterThanOrEqual(LINKED);
    await env.app.app.get(IdentityRestamp).run();
    const restamped = await sessionJoin();
    if (process.env.BREACH_REPORT !== undefined) {
      process.stdout.write(
        `breach (member loop): poll vote after sign-in ${JSON.stringify({ asWritten, restamped })}\n`,
      );
    }
    expect(restamped).toBeLessThan(LINKED);
  }, 300_000);

  it('keeps bookmarks in one sealed record per account that tells neither what nor how many', async () => {
    for (const [i, member] of members.entries()) {
      for (let b = 0; b <= i % 4; b += 1) await bookmark(member, threads[(i + b) % N]);
    }
    const table = storeTable(identity, BookmarkRecordEntity);
    const rows = await identity.query<Array<Record<string, string>>>(`SELECT * FROM ${table}`);
    expect(rows).toHaveLength(N);
    expect(Object.keys(rows[0]).sort()).toEqual(['account_id', 'changed_on', 'payload']);
    // The day of the last change only.
    for (const row of rows) expect(Number(row.changed_on) % 86_400_000).toBe(0);
    // One to four bookmarks: the same length for everyone.
    expect(new Set(rows.map((r) => r.payload.length)).size).toBe(1);
    const dump = JSON.stringify(rows);
    for (const thread of threads) expect(dump).not.toContain(thread);
    if (!onPostgres()) {
      const raw = rawFile('identity');
      for (const thread of threads) expect(raw).not.toContain(thread);
      const order = await identity.query<Array<{ account_id: string }>>(
        `SELECT account_id FROM ${table} NOT INDEXED`,
      );
      const ids = order.map((r) => r.account_id);
      expect(ids).toEqual([...ids].sort());
    }
  }, 120_000);

  it('leaves no residue of an unfollow, nor of an erased account’s bookmarks and notifications (SQLite)', async () => {
    if (onPostgres()) return; // PostgreSQL's residue is described in docs/anonymity.md
    const member = members[0];
    const thread = threads[(0 + 3) % N];
    const table = storeTable(content, ThreadFollowEntity);
    const [row] = await content.query<Array<{ follow_token: string; sealed_ref: string }>>(
      `SELECT follow_token, sealed_ref FROM ${table} WHERE thread_id = ?`,
      [thread],
    );
    expect(rawFile('content')).toContain(row.follow_token);
    await dataOf(
      member.gql('mutation ($id: ID!) { followThread(id: $id, follow: false) { viewerFollows } }', {
        id: thread,
      }),
    );
    const afterUnfollow = rawFile('content');
    expect(afterUnfollow).not.toContain(row.follow_token);
    expect(afterUnfollow).not.toContain(row.sealed_ref);

    const leaving = members[1];
    const [record] = await identity.query<Array<{ payload: string }>>(
      `SELECT payload FROM ${storeTable(identity, BookmarkRecordEntity)} WHERE account_id = ?`,
      [leaving.accountId],
    );
    const payloads = (
      await identity.query<Array<{ payload: string }>>(
        `SELECT payload FROM ${storeTable(identity, NotificationEntity)} WHERE account_id = ?`,
        [leaving.accountId],
      )
    ).map((r) => r.payload);
    expect(payloads.length).toBeGreaterThan(0);
    const secrets = [record.payload, ...payloads];
    expect(secrets.filter((s) => rawFile('identity').includes(s))).not.toHaveLength(0);
    await dataOf(
      leaving.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
        p: leaving.password,
      }),
    );
    const after = rawFile('identity');
    expect(secrets.filter((s) => after.includes(s))).toEqual([]);
  });

  const follow = (member: SignedInClient, id: string) =>
    dataOf(member.gql('mutation ($id: ID!) { followThread(id: $id) { id } }', { id }));
  const bookmark = (member: SignedInClient, id: string) =>
    dataOf(member.gql('mutation ($id: ID!) { bookmarkThread(id: $id) { id } }', { id }));

  const countNotifications = async () => {
    const [row] = await identity.query<Array<{ n: string | number }>>(
      `SELECT COUNT(*) AS n FROM ${storeTable(identity, NotificationEntity)}`,
    );
    return Number(row.n);
  };

  /** The notifications' accounts and kinds in the order the rows lie in the file. */
  const physicalOrder = async () => {
    const from = storeTable(identity, NotificationEntity);
    const rows = await identity.query<Array<{ account: string; kind: string }>>(
      onPostgres()
        ? `SELECT account_id AS account, kind FROM ${from} ORDER BY ctid`
        : `SELECT account_id AS account, kind FROM ${from} NOT INDEXED`,
    );
    return rows;
  };

  const rawFile = (store: 'identity' | 'content') => {
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
});

function storeTable(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string {
  return tableName(dataSource, dataSource.getMetadata(entity).tablePath);
}

function rawTable(dataSource: DataSource, name: string): string {
  return tableName(
    dataSource,
    dataSource.entityMetadatas.find((m) => m.tableName === name)!.tablePath,
  );
}

/** How many positions of `observed` name the account of the same position in `truth`. */
function hits(observed: string[], truth: string[]): number {
  return truth.filter((account, k) => observed[k] === account).length;
}
