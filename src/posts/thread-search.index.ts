import type { DataSource } from 'typeorm';
import { storeTable } from '../infrastructure/database/migrations/store-table';
import {
  fts5Match,
  indexText,
  type SearchTerm,
  tsQueryLiteral,
  tsVectorLiteral,
} from '../discussions/search/search-text';
import { ContentStatus } from './content-status';

/**
 * The thread search index (content store; docs/discussions.md, "Search"; docs/anonymity.md,
 * "Search index"): per thread its id and its tokens (search-text.ts), nothing else.
 *
 * - SQLite: `thread_search` (doc_id, thread_id, tokens) and the FTS5 table `thread_search_fts`
 *   over its tokens (external content, `ascii` tokenizer: the tokens are indexed as written),
 *   kept in step by triggers, with FTS5's secure-delete on so a removed thread's tokens leave
 *   the index's pages at once.
 * - PostgreSQL: `thread_search` (thread_id, tokens, document) with `document` the tsvector of
 *   the tokens, written token by token (no parser, so the same tokens as SQLite), under a GIN
 *   index.
 *
 * Every thread not deleted has its row, whatever its status: the status, the board and
 * withholding are applied when searching, through the access policy.
 */

/** Runs SQL: an EntityManager, a QueryRunner or a DataSource. */
export interface SqlRunner {
  readonly connection: DataSource;
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

const isPostgres = (runner: SqlRunner): boolean => runner.connection.options.type === 'postgres';

/** `$n` on PostgreSQL, `?` on SQLite. */
const placeholder =
  (runner: SqlRunner) =>
  (n: number): string =>
    isPostgres(runner) ? `$${n}` : '?';

/** The statements that create the index's tables (used by the migration). */
export function createThreadSearchSql(runner: SqlRunner): string[] {
  const docs = storeTable(runner.connection, 'thread_search');
  if (isPostgres(runner)) {
    return [
      `CREATE TABLE ${docs} (thread_id varchar(36) PRIMARY KEY, tokens text NOT NULL, document tsvector NOT NULL)`,
      `CREATE INDEX idx_thread_search_document ON ${docs} USING GIN (document)`,
    ];
  }
  return [
    `CREATE TABLE thread_search (doc_id INTEGER PRIMARY KEY, thread_id varchar(36) NOT NULL UNIQUE, tokens text NOT NULL)`,
    `CREATE VIRTUAL TABLE thread_search_fts USING fts5(tokens, content='thread_search', content_rowid='doc_id', tokenize='ascii')`,
    `INSERT INTO thread_search_fts(thread_search_fts, rank) VALUES ('secure-delete', 1)`,
    `CREATE TRIGGER thread_search_inserted AFTER INSERT ON thread_search BEGIN
       INSERT INTO thread_search_fts(rowid, tokens) VALUES (new.doc_id, new.tokens);
     END`,
    `CREATE TRIGGER thread_search_deleted AFTER DELETE ON thread_search BEGIN
       INSERT INTO thread_search_fts(thread_search_fts, rowid, tokens) VALUES ('delete', old.doc_id, old.tokens);
     END`,
    `CREATE TRIGGER thread_search_updated AFTER UPDATE ON thread_search BEGIN
       INSERT INTO thread_search_fts(thread_search_fts, rowid, tokens) VALUES ('delete', old.doc_id, old.tokens);
       INSERT INTO thread_search_fts(rowid, tokens) VALUES (new.doc_id, new.tokens);
     END`,
  ];
}

/** The statements that drop the index's tables (the migration's `down`). */
export function dropThreadSearchSql(runner: SqlRunner): string[] {
  const docs = storeTable(runner.connection, 'thread_search');
  if (isPostgres(runner)) return [`DROP TABLE ${docs}`];
  return [
    'DROP TRIGGER thread_search_inserted',
    'DROP TRIGGER thread_search_deleted',
    'DROP TRIGGER thread_search_updated',
    'DROP TABLE thread_search_fts',
    'DROP TABLE thread_search',
  ];
}

/** Writes (or rewrites) a thread's row from its title and body, in the caller's transaction. */
export async function writeThreadSearch(
  runner: SqlRunner,
  threadId: string,
  title: string,
  body: string,
): Promise<void> {
  const docs = storeTable(runner.connection, 'thread_search');
  const tokens = indexText(title, body);
  if (isPostgres(runner)) {
    await runner.query(
      `INSERT INTO ${docs} (thread_id, tokens, document) VALUES ($1, $2, CAST($3 AS tsvector))
       ON CONFLICT (thread_id) DO UPDATE SET tokens = EXCLUDED.tokens, document = EXCLUDED.document`,
      [threadId, tokens, tsVectorLiteral(tokens)],
    );
    return;
  }
  // On conflict an update: the row keeps its doc_id (the triggers rewrite its FTS5 entry).
  await runner.query(
    `INSERT INTO ${docs} (thread_id, tokens) VALUES (?, ?)
     ON CONFLICT (thread_id) DO UPDATE SET tokens = excluded.tokens`,
    [threadId, tokens],
  );
}

/** Removes a thread's row (deletion), in the caller's transaction. */
export async function removeThreadSearch(runner: SqlRunner, threadId: string): Promise<void> {
  const docs = storeTable(runner.connection, 'thread_search');
  await runner.query(`DELETE FROM ${docs} WHERE thread_id = ${placeholder(runner)(1)}`, [threadId]);
}

/** How many threads a rebuild reads at a time. */
const REBUILD_BATCH = 500;

/**
 * Empties the index and writes a row for every thread not deleted, a batch at a time in
 * `createdAt` order (on SQLite doc ids then follow the threads' creation, already public).
 * Each batch is its own statement group; run inside one transaction for an all-or-nothing
 * rebuild. Returns how many threads were indexed.
 */
export async function rebuildThreadSearch(runner: SqlRunner): Promise<number> {
  const docs = storeTable(runner.connection, 'thread_search');
  const threads = storeTable(runner.connection, 'threads');
  const p = placeholder(runner);
  await runner.query(`DELETE FROM ${docs}`);
  if (!isPostgres(runner)) {
    // Rebuilds the FTS5 index from the (now empty) content table: no stale entry survives.
    await runner.query(`INSERT INTO thread_search_fts(thread_search_fts) VALUES ('rebuild')`);
  }
  let after: { createdAt: number; id: string } | null = null;
  let count = 0;
  for (;;) {
    const rows = (await runner.query(
      `SELECT id, title, body, created_at FROM ${threads}
       WHERE status <> ${p(1)} ${after === null ? '' : `AND (created_at > ${p(2)} OR (created_at = ${p(3)} AND id > ${p(4)}))`}
       ORDER BY created_at, id LIMIT ${REBUILD_BATCH}`,
      after === null
        ? [ContentStatus.DELETED]
        : [ContentStatus.DELETED, after.createdAt, after.createdAt, after.id],
    )) as Array<{ id: string; title: string; body: string; created_at: number | string }>;
    for (const row of rows) await writeThreadSearch(runner, row.id, row.title, row.body);
    count += rows.length;
    if (rows.length < REBUILD_BATCH) return count;
    const last = rows[rows.length - 1];
    after = { createdAt: Number(last.created_at), id: last.id };
  }
}

/** Relevance and recency: a thread this much newer ranks as one e times as relevant. */
export const RECENCY_SPAN_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * At most this many matches are ranked: the newest ones (by indexing order on SQLite, which
 * follows creation; by creation on PostgreSQL) on the boards searched. Bounds the cost of a
 * query with very common words; an older match is not found then (docs/discussions.md).
 */
export const SEARCH_CANDIDATES = 2_000;

/** A position in a search's results: the score of the last hit seen and its id. */
export interface SearchPosition {
  readonly score: number;
  readonly id: string;
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
}

/**
 * Published threads on `boardIds` whose tokens hold every term (the newest SEARCH_CANDIDATES
 * of them), best first: by
 * `ln(1 + relevance) + createdAt / RECENCY_SPAN_MS` descending, then id descending; after
 * `after` when given, at most `limit`. Relevance is FTS5's bm25 on SQLite and ts_rank
 * (normalised by the document's length) on PostgreSQL.
 */
export async function findThreadSearchHits(
  dataSource: DataSource,
  terms: readonly SearchTerm[],
  boardIds: readonly string[],
  after: SearchPosition | null,
  limit: number,
): Promise<SearchHit[]> {
  if (terms.length === 0 || boardIds.length === 0) return [];
  const docs = storeTable(dataSource, 'thread_search');
  const threads = storeTable(dataSource, 'threads');
  const postgres = dataSource.options.type === 'postgres';
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return postgres ? `$${params.length}` : '?';
  };
  // SQLite: CROSS JOIN keeps the FTS5 match the outer loop (the planner would otherwise walk
  // the board's threads and ask FTS5 about each).
  const recency = `CAST(t.created_at AS double precision) / ${RECENCY_SPAN_MS}`;
  const inner = postgres
    ? `SELECT t.id AS id, ln(1 + ts_rank(s.document, q.query, 1)) + ${recency} AS score
       FROM ${docs} s
       CROSS JOIN (SELECT CAST(${p(tsQueryLiteral(terms))} AS tsquery) AS query) q
       JOIN ${threads} t ON t.id = s.thread_id
       WHERE s.document @@ q.query`
    : `SELECT t.id AS id, ln(1 - bm25(thread_search_fts)) + ${recency} AS score
       FROM thread_search_fts
       CROSS JOIN ${docs} s ON s.doc_id = thread_search_fts.rowid
       CROSS JOIN ${threads} t ON t.id = s.thread_id
       WHERE thread_search_fts MATCH ${p(fts5Match(terms))}`;
  const filters = `AND t.status = ${p(ContentStatus.PUBLISHED)} AND t.board_id IN (${boardIds.map((id) => p(id)).join(', ')})`;
  // The newest SEARCH_CANDIDATES matches are ranked (FTS5 walks its matches newest first).
  const newest = postgres
    ? `ORDER BY t.created_at DESC LIMIT ${SEARCH_CANDIDATES}`
    : `ORDER BY thread_search_fts.rowid DESC LIMIT ${SEARCH_CANDIDATES}`;
  const keyset =
    after === null
      ? ''
      : `WHERE hit.score < ${p(after.score)} OR (hit.score = ${p(after.score)} AND hit.id < ${p(after.id)})`;
  const rows = await dataSource.query<Array<{ id: string; score: number | string }>>(
    `SELECT hit.id AS id, hit.score AS score FROM (${inner} ${filters} ${newest}) hit
     ${keyset}
     ORDER BY hit.score DESC, hit.id DESC
     LIMIT ${p(limit)}`,
    params,
  );
  return rows.map((row) => ({ id: row.id, score: Number(row.score) }));
}
