/**
 * Data for the PostgreSQL plan review (bench/pg-plans.ts): a forum's worth of rows written
 * with set-based SQL into the content and identity schemas the migrations made. Every post,
 * withholding, notice and review item is derived from a row number or a hash of the post's
 * id, so the sets agree with each other the way the server keeps them: every held post with
 * a HOLD notice has a pending item and every flagged post its RULE_FLAG item (as on a
 * healthy server, whose outbox of review requests is empty), every appeal points
 * at the decision it contests, every withholding has its notice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { canonicalJson, chainHash, GENESIS_HASH } from '../src/audit/audit-chain';
import { ADJECTIVES, ANIMALS, corpus, LABELS } from './feeds-data';
import { mulberry32 } from './prng';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const DAY_MS = 86_400_000;

export interface Volumes {
  /** Threads of the large public board. */
  threads: number;
  /** Comments spread over its threads, besides those of the one long thread. */
  comments: number;
  longThreadComments: number;
  /** Entries in each store's audit chain. */
  auditEvents: number;
}

export function volumesFor(threads: number): Volumes {
  return {
    threads,
    comments: Math.round(threads * 0.28),
    longThreadComments: Math.min(20_000, Math.round(threads / 50)),
    auditEvents: Math.round(threads / 5),
  };
}

export interface LoadedForum {
  boardId: string;
  /** A public board with 2 % of the threads. */
  smallBoardId: string;
  /** The company of the company board `acme`, for the queue's company filter. */
  companyId: string;
  longThreadId: string;
  /** What each step took, in load order. */
  steps: Array<{ what: string; rows: number; seconds: number }>;
}

/** A v4-shaped UUID string derived from a SQL text expression, so other rows can name it. */
const uuidOf = (key: string) =>
  `overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid::text`;

/** `bytes` (a multiple of 16) random bytes as unpadded base64url, like keyed tokens and sealed boxes. */
const randomToken = (bytes: number) =>
  `translate(encode(decode(${Array.from({ length: bytes / 16 }, () => 'md5(random()::text)').join(' || ')}, 'hex'), 'base64'), E'+/=\\n', '-_')`;
const TOKEN = randomToken(32); // 43 characters, as HMAC-SHA256 tokens
const SEALED = `'v1.' || ${randomToken(64)}`; // 89 characters, as sealed references

/** Picks one element of the text[] parameter `param` with the number `n`. */
const pick = (param: string, n: string) =>
  `(${param}::text[])[1 + (${n})::int % array_length(${param}::text[], 1)]`;

// Which posts carry which compliance and moderation records. `bucket` (0–999) and `sub`
// (0–99) are two independent hashes of the post's id.
const WITHHELD = `p.status = 'PUBLISHED' AND p.bucket < 10`;
const WITHHELD_IN = `(ARRAY['DE', 'EU', 'CN', 'RU', 'TR', 'IN', 'US'])[1 + p.sub % 7]`;
const HELD_BY_RULE = `p.status = 'HELD' AND p.sub < 80`;
const HIDDEN_BY_REPORTS = `p.status = 'HELD' AND p.sub >= 80`;
const HOLD_APPROVED = `p.status = 'PUBLISHED' AND p.bucket BETWEEN 40 AND 41`;
const HOLD_NOTICED = `(${HELD_BY_RULE}) OR p.status = 'REJECTED' OR (${HOLD_APPROVED})`;
const FLAGGED = `(p.status = 'PUBLISHED' AND p.bucket BETWEEN 10 AND 14) OR (p.status = 'REMOVED' AND p.sub < 30)`;
const REPORTED = `(p.status = 'PUBLISHED' AND p.bucket BETWEEN 15 AND 39) OR (p.status = 'REMOVED' AND p.sub >= 30)`;
const APPEALED = `p.status IN ('REMOVED', 'REJECTED') AND p.sub % 10 = 5`;

/** Review items per source of posts: kind, status, whether queued, weighted report score. */
const ITEM_SOURCES: ReadonlyArray<{
  kind: string;
  where: string;
  status: string;
  inQueue: string;
  score: string;
}> = [
  { kind: 'RULE_HOLD', where: HELD_BY_RULE, status: `'PENDING'`, inQueue: 'true', score: '0' },
  {
    kind: 'RULE_HOLD',
    where: `p.status = 'REJECTED'`,
    status: `'REJECTED'`,
    inQueue: 'true',
    score: '0',
  },
  { kind: 'RULE_HOLD', where: HOLD_APPROVED, status: `'APPROVED'`, inQueue: 'true', score: '0' },
  {
    kind: 'USER_REPORTS',
    where: HIDDEN_BY_REPORTS,
    status: `'PENDING'`,
    inQueue: 'true',
    score: '6 + p.sub % 4',
  },
  {
    kind: 'USER_REPORTS',
    where: REPORTED,
    status: `CASE WHEN p.status = 'REMOVED' THEN 'REJECTED' WHEN p.sub < 20 THEN 'PENDING' WHEN p.sub < 85 THEN 'IGNORED' ELSE 'REJECTED' END`,
    // Below REPORT_QUEUE_THRESHOLD (3) a reported post waits outside the queue.
    inQueue: `p.status = 'REMOVED' OR p.sub < 2 OR p.sub >= 20`,
    score: `CASE WHEN p.status = 'PUBLISHED' AND p.sub BETWEEN 2 AND 19 THEN 1 + p.sub % 2 ELSE 3 + p.sub % 4 END`,
  },
  {
    kind: 'RULE_FLAG',
    where: FLAGGED,
    status: `CASE WHEN p.status = 'REMOVED' THEN 'REJECTED' WHEN p.sub < 15 THEN 'PENDING' WHEN p.sub < 80 THEN 'IGNORED' ELSE 'APPROVED' END`,
    inQueue: 'true',
    score: '0',
  },
  {
    kind: 'APPEAL',
    where: APPEALED,
    status: `CASE WHEN p.sub < 30 THEN 'PENDING' ELSE 'REJECTED' END`,
    inQueue: 'true',
    score: '0',
  },
];
const BASE_PRIORITY = `CASE s.kind WHEN 'RULE_HOLD' THEN 3 WHEN 'APPEAL' THEN 2.5 WHEN 'RULE_FLAG' THEN 1 ELSE 0 END`;

/**
 * Loads the forum into `content` and `identity` (quoted, schema-qualified names are built
 * here) through `client`, one session (it keeps a temporary table of all posts).
 */
export async function loadForum(
  client: Client,
  schemas: { content: string; identity: string },
  volumes: Volumes,
  say: (line: string) => void,
): Promise<LoadedForum> {
  const c = (table: string) => `"${schemas.content}"."${table}"`;
  const i = (table: string) => `"${schemas.identity}"."${table}"`;
  const steps: LoadedForum['steps'] = [];
  const timed = async (what: string, work: () => Promise<number>) => {
    const started = process.hrtime.bigint();
    const rows = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    steps.push({ what, rows, seconds });
    say(`  ${what}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`);
  };
  const step = (what: string, sql: string, params: unknown[] = []) =>
    timed(what, async () => (await client.query(sql, params)).rowCount ?? 0);
  const now = Date.now();
  const start = now - YEAR_MS;
  const text = corpus(mulberry32(11), 8200);
  const words = [text, ADJECTIVES, ANIMALS, LABELS];
  // The shape of the data (statuses, scores, times) is the same on every run.
  await client.query('SELECT setseed(0.42)');
  // For this session only: a commit need not wait for the WAL flush, and index builds get
  // memory enough to sort in one pass.
  await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'");
  // The posts' secondary indexes are dropped for the load and built again from their own
  // definitions afterwards (a sorted build is much faster than a million random inserts);
  // the schema ends as the migrations made it. Constraints (keys, unique columns) stay.
  const postIndexes = (
    await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = $1 AND tablename IN ('threads', 'comments')
         AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
      [schemas.content],
    )
  ).rows;
  for (const index of postIndexes) {
    await client.query(`DROP INDEX "${schemas.content}"."${index.name}"`);
  }

  const boardId = randomUUID();
  const companyId = randomUUID();
  const otherCompanyId = randomUUID();
  await step(
    'companies (identity)',
    `INSERT INTO ${i('companies')} (id, slug, name, industry, size_band, jurisdiction, created_at)
     VALUES ($1, 'acme', 'Acme Corp', 'Internet', '1k–5k', 'US', $3),
            ($2, 'globex', 'Globex', 'Finance', '10k+', 'DE', $3)`,
    [companyId, otherCompanyId, start - DAY_MS],
  );
  const boards = [
    {
      slug: 'general',
      name: 'General',
      kind: 'PUBLIC',
      jurisdiction: 'US',
      company: null,
      threads: volumes.threads,
      id: boardId,
    },
    {
      slug: 'allgemein',
      name: 'Allgemein',
      kind: 'PUBLIC',
      jurisdiction: 'DE',
      company: null,
      threads: Math.round(volumes.threads / 50),
      id: randomUUID(),
    },
    {
      slug: 'acme',
      name: 'Acme Corp',
      kind: 'COMPANY',
      jurisdiction: 'US',
      company: companyId,
      threads: Math.round(volumes.threads / 100),
      id: randomUUID(),
    },
    {
      slug: 'globex',
      name: 'Globex',
      kind: 'COMPANY',
      jurisdiction: 'DE',
      company: otherCompanyId,
      threads: Math.round(volumes.threads / 200),
      id: randomUUID(),
    },
  ];
  for (const board of boards) {
    await client.query(
      `INSERT INTO ${c('boards')} (id, slug, name, kind, jurisdiction, company_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        board.id,
        board.slug,
        board.name,
        board.kind,
        board.jurisdiction,
        board.company,
        start - DAY_MS,
      ],
    );
    // Oldest first as a board grows, over the past year; scores skewed (about half 0, a tail
    // to ~5,000, 8 % negative); hot_rank by the server's formula (src/discussions/threads/hot-rank.ts).
    await step(
      `threads of ${board.slug}`,
      `INSERT INTO ${c('threads')} (id, board_id, title, body, author_handle, author_label,
         author_token, sealed_ref, status, score, comment_count, hot_rank, created_at, edited_at,
         idempotency_key)
       SELECT ${uuidOf(`'t:' || $6::text || ':' || n`)}, $5,
         substr($1, 1 + floor(r1 * 7000)::int, 12 + floor(r2 * r3 * 108)::int),
         substr($1, 1 + floor(r4 * 6800)::int, 40 + floor(r5 * r6 * 1160)::int),
         ${pick('$2', 'floor(r7 * 1000)::int')} || ' ' || ${pick('$3', 'floor(r8 * 1000)::int')},
         ${pick('$4', 'floor(r9 * 1000)::int')}, ${TOKEN}, ${SEALED},
         CASE WHEN rs < 0.003 THEN 'HELD' WHEN rs < 0.008 THEN 'REMOVED'
              WHEN rs < 0.010 THEN 'REJECTED' WHEN rs < 0.013 THEN 'DELETED' ELSE 'PUBLISHED' END,
         score, 0,
         sign(score::float8) * log(greatest(abs(score), 1)::float8) + created::float8 / 1000 / 45000,
         created,
         CASE WHEN re < 0.05 THEN created + floor(re * 20 * ${DAY_MS})::bigint END,
         CASE WHEN ri < 0.3 THEN ${TOKEN} END
       FROM (
         SELECT n, r1, r2, r3, r4, r5, r6, r7, r8, r9, rs, re, ri,
           ($8::bigint + floor(n * $9::float8))::bigint AS created,
           CASE WHEN rn < 0.08 THEN -least(m, 40) ELSE m END AS score
         FROM (
           SELECT n, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
             random() r7, random() r8, random() r9, random() rs, random() re, random() ri,
             random() rn, floor(exp(random() ^ 4 * ln(5000)))::int - 1 AS m
           FROM generate_series(1, $7::int) AS n
         ) a
       ) b`,
      [...words, board.id, board.slug, board.threads, start, YEAR_MS / board.threads],
    );
  }

  // Comments on the large board, mostly on recent threads, plus one long thread (a week old).
  const weekOfThreads = Math.round(volumes.threads / 52);
  const longThread = volumes.threads - weekOfThreads;
  const comments = (what: string, count: number, thread: string, created: string, parent: string) =>
    step(
      what,
      `INSERT INTO ${c('comments')} (id, thread_id, parent_id, body, author_handle, author_label,
         author_token, sealed_ref, status, score, created_at, edited_at, idempotency_key)
       SELECT ${uuidOf(`'c:' || $10::text || ':' || n`)}, ${uuidOf(`'t:general:' || k`)}, ${parent},
         substr($1, 1 + floor(r4 * 7500)::int, 10 + floor(r5 * r6 * 600)::int),
         ${pick('$2', 'floor(r7 * 1000)::int')} || ' ' || ${pick('$3', 'floor(r8 * 1000)::int')},
         ${pick('$4', 'floor(r9 * 1000)::int')}, ${TOKEN}, ${SEALED},
         CASE WHEN rs < 0.015 THEN 'DELETED' WHEN rs < 0.018 THEN 'HELD'
              WHEN rs < 0.023 THEN 'REMOVED' WHEN rs < 0.025 THEN 'REJECTED' ELSE 'PUBLISHED' END,
         floor(exp(r1 ^ 3 * ln(200)))::int - 1, created,
         CASE WHEN re < 0.03 THEN created + floor(re * 30 * 3600000)::bigint END,
         CASE WHEN ri < 0.3 THEN ${TOKEN} END
       FROM (
         SELECT n, k, r1, r4, r5, r6, r7, r8, r9, rs, re, ri, rp, ${created} AS created
         FROM (
           SELECT n, ${thread} AS k, random() r1, random() r2, random() r4, random() r5,
             random() r6, random() r7, random() r8, random() r9, random() rs, random() re,
             random() ri, random() rp
           FROM generate_series(1, $5::int) AS n
         ) a
       ) b`,
      [...words, count, volumes.threads, start, YEAR_MS / volumes.threads, now, what],
    );
  const threadCreated = '($7::bigint + floor(k * $8::float8))::bigint';
  await comments(
    'comments',
    volumes.comments,
    `$6::int - floor($6::int * random() ^ 3)::int`,
    `${threadCreated} + floor(r2 ^ 2 * ($9::bigint - ${threadCreated}))::bigint`,
    'NULL',
  );
  await comments(
    'comments of the long thread',
    volumes.longThreadComments,
    `$6::int - ${weekOfThreads}`,
    `${threadCreated} + floor(n * ($9::bigint - ${threadCreated}) / ($5::int + 1))::bigint`,
    // About a third reply to an earlier comment of the thread.
    `CASE WHEN rp < 0.3 AND n > 1 THEN ${uuidOf(`'c:' || $10::text || ':' || (1 + floor(rp / 0.3 * (n - 1))::int)`)} END`,
  );
  await step(
    'threads.comment_count',
    `UPDATE ${c('threads')} t SET comment_count = n.count
     FROM (SELECT thread_id, count(*) AS count FROM ${c('comments')}
           WHERE status = 'PUBLISHED' GROUP BY thread_id) n
     WHERE t.id = n.thread_id`,
  );

  await step(
    `${postIndexes.length} indexes of threads and comments, rebuilt`,
    postIndexes.map((index) => index.definition).join('; '),
  );

  // Every post with where it is, for the compliance and moderation records below.
  await step(
    'posts (temporary)',
    `CREATE TEMPORARY TABLE posts AS
     SELECT p.*, (abs(hashtext(p.id)::bigint) % 1000)::int AS bucket,
       (abs(hashtext(p.id || '#')::bigint) % 100)::int AS sub
     FROM (
       SELECT t.id, 'THREAD' AS kind, t.id AS thread_id, b.id AS board_id, b.kind AS board_kind,
         b.company_id, b.jurisdiction, t.status, t.created_at
       FROM ${c('threads')} t JOIN ${c('boards')} b ON b.id = t.board_id
       UNION ALL
       SELECT m.id, 'COMMENT', m.thread_id, b.id, b.kind, b.company_id, b.jurisdiction, m.status,
         m.created_at
       FROM ${c('comments')} m JOIN ${c('threads')} t ON t.id = m.thread_id
         JOIN ${c('boards')} b ON b.id = t.board_id
     ) p`,
  );
  await step(
    'content_withholdings',
    `INSERT INTO ${c('content_withholdings')} (content_id, jurisdiction, content_kind, thread_id, created_at)
     SELECT p.id, ${WITHHELD_IN}, p.kind, p.thread_id, p.created_at + 1000 FROM posts p WHERE ${WITHHELD}`,
  );
  await step(
    'content_notices',
    `INSERT INTO ${c('content_notices')} (id, content_id, jurisdiction, rule_id, rule_name, action,
       legal_basis, explanation, created_at)
     SELECT ${uuidOf(`'n:' || p.id || ':' || a.action`)}, p.id, a.jurisdiction,
       ${uuidOf(`'rule:' || a.jurisdiction || ':' || a.action`)},
       a.jurisdiction || ' ' || lower(a.action) || ' list', a.action,
       'Statutory basis of the ' || a.jurisdiction || ' rule set',
       'This post matches a term of the ' || a.jurisdiction || ' rule set.', p.created_at + 1000
     FROM posts p CROSS JOIN LATERAL (VALUES
       (CASE WHEN ${WITHHELD} THEN 'WITHHOLD' END, ${WITHHELD_IN}),
       (CASE WHEN ${HOLD_NOTICED} THEN 'HOLD' END, p.jurisdiction),
       (CASE WHEN ${FLAGGED} THEN 'FLAG' END, p.jurisdiction)
     ) AS a(action, jurisdiction)
     WHERE a.action IS NOT NULL`,
  );

  const staff = Array.from({ length: 8 }, (_, n) => ({
    token: randomBytes(32).toString('base64url'),
    handle: `Staff ${ADJECTIVES[n]} ${ANIMALS[(n * 5) % ANIMALS.length]} ${1000 + ((n * 7919) % 9000)}`,
  }));
  const tokens = staff.map((s) => s.token);
  const handles = staff.map((s) => s.handle);
  const reasonCodes = ['harassment', 'hate_speech', 'spam', 'personal_information', 'illegal'];
  await step(
    'review_items',
    `INSERT INTO ${c('review_items')} (id, content_id, content_kind, thread_id, board_id,
       board_kind, company_id, jurisdiction, kind, status, in_queue, priority, report_score,
       reasons, version, claimed_by, claim_expires_at, decision, reason_code, note, decided_by,
       decided_at, sanction_id, appeal_of, hidden_by_reports, created_at, queued_at, updated_at)
     SELECT ${uuidOf(`'ri:' || s.kind || ':' || s.id`)}, s.id, s.kind_of_post, s.thread_id,
       s.board_id, s.board_kind, s.company_id, s.jurisdiction, s.kind, s.status,
       s.in_queue AND s.status = 'PENDING', ${BASE_PRIORITY} + s.score,
       CASE WHEN s.status = 'PENDING' THEN s.score ELSE 0 END,
       json_build_array(CASE WHEN s.kind = 'USER_REPORTS'
         THEN json_build_object('kind', s.kind, 'summary', s.score || ' reports: spam',
           'ruleName', NULL, 'reportReason', 'SPAM', 'count', s.score)
         ELSE json_build_object('kind', s.kind, 'summary', s.jurisdiction || ': matches a listed term',
           'ruleName', s.jurisdiction || ' list', 'reportReason', NULL, 'count', 1) END)::text,
       1 + CASE WHEN s.claimed THEN 1 ELSE 0 END + CASE WHEN s.decided THEN 2 ELSE 0 END,
       CASE WHEN s.claimed THEN ${pick('$1', 's.bucket')} END,
       CASE WHEN s.claimed THEN $3::bigint + (s.sub % 20 - 10) * 60000 END,
       CASE s.status WHEN 'APPROVED' THEN 'APPROVE' WHEN 'REJECTED' THEN 'REJECT'
                     WHEN 'IGNORED' THEN 'IGNORE' END,
       CASE WHEN s.status = 'REJECTED' THEN ${pick('$2', 's.sub')} END,
       CASE WHEN s.decided AND s.sub % 3 = 0 THEN 'Please keep to the community rules.' END,
       CASE WHEN s.decided THEN ${pick('$1', 's.bucket')} END,
       CASE WHEN s.decided THEN least(s.queued + (1 + s.sub) * 600000, $3::bigint) END,
       CASE WHEN s.status = 'REJECTED' AND s.sub % 4 = 0 THEN ${SEALED} END,
       CASE WHEN s.kind = 'APPEAL' THEN ${uuidOf(
         `'ri:' || CASE WHEN s.post_status = 'REJECTED' THEN 'RULE_HOLD' WHEN s.sub < 30 THEN 'RULE_FLAG' ELSE 'USER_REPORTS' END || ':' || s.id`,
       )} END,
       s.hidden, s.created_at + 60000, s.queued,
       CASE WHEN s.decided THEN least(s.queued + (1 + s.sub) * 600000, $3::bigint)
            WHEN s.claimed THEN $3::bigint + (s.sub % 20 - 20) * 60000
            ELSE coalesce(s.queued, s.created_at + 60000) END
     FROM (
       SELECT u.*, u.status <> 'PENDING' AS decided,
         u.status = 'PENDING' AND u.in_queue AND u.bucket % 10 = 0 AS claimed,
         CASE WHEN u.in_queue THEN u.created_at + 60000 + (u.bucket * 7919 % 3600) * 1000 END AS queued
       FROM (
         ${ITEM_SOURCES.map(
           (source) =>
             `SELECT p.id, p.kind AS kind_of_post, p.thread_id, p.board_id, p.board_kind,
                p.company_id, p.jurisdiction, p.status AS post_status, p.created_at, p.bucket,
                p.sub, '${source.kind}' AS kind, ${source.status} AS status,
                ${source.inQueue} AS in_queue, ${source.score} AS score,
                ${source.where === HIDDEN_BY_REPORTS ? 'true' : 'false'} AS hidden
              FROM posts p WHERE ${source.where}`,
         ).join(' UNION ALL ')}
       ) u
     ) s`,
    [tokens, reasonCodes, now],
  );
  await step(
    'review_events',
    `INSERT INTO ${c('review_events')} (id, item_id, at, action, actor_handle, note)
     SELECT ${uuidOf(`'re:' || r.id || ':' || e.n`)}, r.id, e.at, e.action, e.actor, e.note
     FROM ${c('review_items')} r CROSS JOIN LATERAL (VALUES
       (1, r.created_at, CASE r.kind WHEN 'USER_REPORTS' THEN 'reported'
                                     WHEN 'APPEAL' THEN 'appealed' ELSE 'created' END, NULL, NULL),
       (2, r.created_at + 1, CASE WHEN r.hidden_by_reports THEN 'hidden' END, NULL,
        'hidden pending review'),
       (3, coalesce(r.decided_at - 60000, r.updated_at),
        CASE WHEN r.claimed_by IS NOT NULL OR r.decided_at IS NOT NULL THEN 'claimed' END,
        ($2::text[])[array_position($1::text[], coalesce(r.claimed_by, r.decided_by))], NULL),
       (4, r.decided_at, CASE WHEN r.decided_at IS NOT NULL THEN 'decided: ' || r.decision END,
        ($2::text[])[array_position($1::text[], r.decided_by)], r.note)
     ) AS e(n, at, action, actor, note)
     WHERE e.action IS NOT NULL`,
    [tokens, handles],
  );
  await client.query('DROP TABLE posts');

  for (const [store, table] of [
    ['content', c],
    ['identity', i],
  ] as const) {
    await timed(`audit_events (${store})`, () =>
      loadAuditChain(client, table, store, volumes.auditEvents, start, handles),
    );
  }

  const longThreadId = (
    await client.query<{ id: string }>(`SELECT ${uuidOf(`'t:general:' || $1::int`)} AS id`, [
      longThread,
    ])
  ).rows[0].id;
  return { boardId, smallBoardId: boards[1].id, companyId, longThreadId, steps };
}

/**
 * One store's audit chain, hashed with the server's own chainHash (src/audit/audit-chain.ts),
 * so verifyAuditLog walks all of it and finds it intact. The rows are sent as arrays and
 * inserted with unnest, 25,000 at a time: the hashes chain row to row, which set-based SQL
 * cannot compute.
 */
async function loadAuditChain(
  client: Client,
  table: (name: string) => string,
  store: 'content' | 'identity',
  count: number,
  start: number,
  handles: readonly string[],
): Promise<number> {
  const random = mulberry32(store === 'content' ? 21 : 22);
  const actions =
    store === 'content'
      ? [
          'review.decide',
          'review.decide',
          'review.decide',
          'review.decide',
          'sanction.apply',
          'review.appeal',
          'rule.update',
          'rule.add',
          'ruleSet.publish',
          'ruleSet.retroactive.start',
        ]
      : [
          'role.grant',
          'role.grant',
          'role.revoke',
          'company.create',
          'company.addDomain',
          'moderator.scope',
        ];
  const detailOf = (action: string): [string, Record<string, unknown>] => {
    const id = randomUUID();
    switch (action) {
      case 'review.decide':
        return [
          `review:${id}`,
          {
            content: `thread:${randomUUID()}`,
            decision: random() < 0.6 ? 'IGNORE' : 'REJECT',
            kind: 'USER_REPORTS',
            reasonCode: 'spam',
            sanction: null,
          },
        ];
      case 'sanction.apply':
        return [
          `review:${id}`,
          { days: 7, endsAt: new Date(start + YEAR_MS).toISOString(), kind: 'SUSPENSION' },
        ];
      case 'review.appeal':
        return [`review:${id}`, { appealOf: randomUUID(), content: `comment:${randomUUID()}` }];
      case 'role.grant':
      case 'role.revoke':
        return [
          `staff:${handles[Math.floor(random() * handles.length)]}`,
          { after: ['MODERATOR'], before: [], role: 'MODERATOR' },
        ];
      case 'company.create':
      case 'company.addDomain':
        return [`company:${id}`, { domain: `c${Math.floor(random() * 1e6)}.example` }];
      case 'moderator.scope':
        return [`staff:${handles[0]}`, { companyId: id }];
      default:
        return [`ruleSet:${id}`, { jurisdiction: 'DE', version: 1 + Math.floor(random() * 40) }];
    }
  };
  const gap = YEAR_MS / count;
  let prevHash = GENESIS_HASH;
  for (let from = 1; from <= count; from += 25_000) {
    const columns: unknown[][] = Array.from({ length: 10 }, () => []);
    for (let seq = from; seq < Math.min(from + 25_000, count + 1); seq++) {
      const action = actions[Math.floor(random() * actions.length)];
      const [subject, detail] = detailOf(action);
      const fields = {
        seq,
        at: Math.floor(start + (seq - 1 + random() * 0.9) * gap),
        actorHandle: handles[Math.floor(random() * handles.length)],
        actorRole: store === 'content' ? 'MODERATOR' : 'ADMIN',
        action,
        subject,
        detail: canonicalJson(detail),
      };
      const hash = chainHash(prevHash, fields);
      const row = [
        randomUUID(),
        seq,
        fields.at,
        fields.actorHandle,
        fields.actorRole,
        action,
        subject,
        fields.detail,
        prevHash,
        hash,
      ];
      row.forEach((value, n) => columns[n].push(value));
      prevHash = hash;
    }
    await client.query(
      `INSERT INTO ${table('audit_events')} (id, seq, at, actor_handle, actor_role, action, subject,
         detail, prev_hash, hash)
       SELECT * FROM unnest($1::varchar[], $2::int[], $3::bigint[], $4::varchar[], $5::varchar[],
         $6::varchar[], $7::varchar[], $8::text[], $9::varchar[], $10::varchar[])`,
      columns,
    );
  }
  await client.query(`UPDATE ${table('audit_heads')} SET seq = $1, hash = $2 WHERE id = 'main'`, [
    count,
    prevHash,
  ]);
  return count;
}
