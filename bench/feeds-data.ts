/**
 * Data for the feeds benchmark (bench/feeds.bench.ts): boards full of threads written straight
 * into the content store's SQLite file with better-sqlite3 (one prepared INSERT, large
 * transactions), because going through the API or TypeORM would take hours for a million rows.
 *
 * Scores, comment counts, times and text are drawn from a seeded PRNG, so every run builds
 * boards with the same shape; ids and keyed tokens are random (they only need to look real).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { hotRank } from '../src/discussions/threads/hot-rank';
import { mulberry32 } from './prng';

const WORDS = (
  'layoffs severance manager team review promotion salary equity vesting offer remote office ' +
  'hybrid return policy budget reorg director engineering sales support quarter bonus raise ' +
  'interview hiring freeze contract notice benefits health leave parental burnout overtime ' +
  'culture meeting deadline project launch roadmap headcount market stock options refresh ' +
  'recruiter onboarding contractor visa relocation commute union pension audit compliance ' +
  'the a of to and in is for on that with we they my our it was this be are have not but ' +
  'anyone else heard about next week rumours announced yesterday today really think know'
).split(' ');
export const ADJECTIVES =
  'Quiet Brave Calm Swift Gentle Bold Lucky Misty Clever Sunny Silver Amber'.split(' ');
export const ANIMALS =
  'Otter Heron Fox Lynx Badger Falcon Marten Wren Bison Gecko Raven Ibex'.split(' ');
export const LABELS = [
  'a verified employee',
  'an employee at an Internet company, 1k–5k',
  'an employee at a Finance company, 10k+',
  'an employee at a Retail company, 5k–10k',
  'Acme Corp',
  'Globex',
  'Initech',
];

/** A long text to take titles and bodies from (slices at random offsets). */
export function corpus(random: () => number, length: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < length) {
    const word = WORDS[Math.floor(random() * WORDS.length)];
    words.push(word);
    size += word.length + 1;
  }
  return words.join(' ');
}

/** Threads per feed page in the benchmarks. */
export const FEED_PAGE = 20;

/** A board's feed page as clients ask for it (variables `slug`, `order`, `after`). */
/** The home feed's page: the same fields as FEED_QUERY, over every board the reader reads. */
export const HOME_QUERY = `query Home($order: ThreadOrder, $after: String) {
  home(first: ${FEED_PAGE}, order: $order, after: $after) {
    edges {
      node {
        id title score commentCount createdAt
        author { handle employerLabel isOriginalPoster isViewer }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const FEED_QUERY = `query Feed($slug: String!, $order: ThreadOrder, $after: String) {
  board(slug: $slug) {
    threads(first: ${FEED_PAGE}, order: $order, after: $after) {
      edges {
        node {
          id title score commentCount createdAt
          author { handle employerLabel isOriginalPoster isViewer }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** FEED_QUERY as a signed-in member's app asks it: with the member's own vote on each thread. */
export const MEMBER_FEED_QUERY = FEED_QUERY.replace(
  'id title score commentCount createdAt',
  'id title score commentCount createdAt viewerVote',
);

export interface BoardSpec {
  slug: string;
  name: string;
  threads: number;
}

export interface LoadedBoard extends BoardSpec {
  id: string;
  loadSeconds: number;
}

export const YEAR_MS = 365 * 24 * 3600 * 1000;
const TOKEN_BYTES = 32; // keyed tokens are base64url HMAC-SHA256: 43 characters
const SEALED_BYTES = 64; // "v1." + base64url(nonce 12 + seal id 36 + tag 16): 89 characters
const ROW_RANDOM_BYTES = TOKEN_BYTES + SEALED_BYTES + TOKEN_BYTES;

/**
 * Inserts a public board and its published threads into `<dataDir>/content.sqlite`, which must
 * already have its schema (migrations applied). Creation times are spread over the past year
 * (exponential gaps, inserted oldest first as a real board grows); scores are skewed (most
 * threads near 0, a long tail into the thousands, about 8 % negative); comment counts follow
 * the score; hot_rank is computed with the server's own formula.
 */
export function loadBoard(file: string, spec: BoardSpec, seed: number, now: number): LoadedBoard {
  const started = process.hrtime.bigint();
  const random = mulberry32(seed);
  const text = corpus(random, 8000);
  const db = new Database(file);
  try {
    // For the load only: no fsync, no rollback journal, a 1 GiB page cache. Restored below.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    const boardId = randomUUID();
    db.prepare(
      `INSERT INTO boards (id, slug, name, kind, jurisdiction, company_id, created_at)
       VALUES (?, ?, ?, 'PUBLIC', 'US', NULL, ?)`,
    ).run(boardId, spec.slug, spec.name, now - YEAR_MS - 86_400_000);
    const insert = db.prepare(
      `INSERT INTO threads (id, board_id, title, body, author_handle, author_label, author_token,
         sealed_ref, status, score, comment_count, hot_rank, created_at, edited_at, idempotency_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PUBLISHED', ?, ?, ?, ?, ?, ?)`,
    );
    /** Whole words from the corpus, about min..max characters (skewed towards short). */
    const slice = (min: number, max: number) => {
      const length = min + Math.floor(random() * random() * (max - min));
      const from = text.indexOf(' ', Math.floor(random() * (text.length - length - 20))) + 1;
      const piece = text.slice(from, from + length);
      const end = piece.lastIndexOf(' ');
      return (end > min / 2 ? piece.slice(0, end) : piece).trim();
    };
    const meanGap = YEAR_MS / spec.threads;
    let createdAt = now - YEAR_MS;
    const batch = (count: number) => {
      // Random bytes for the tokens of the whole batch at once (one call instead of ~3 per row).
      const pool = randomBytes(count * ROW_RANDOM_BYTES);
      const token = (i: number, offset: number, bytes: number) => {
        const at = i * ROW_RANDOM_BYTES + offset;
        return pool.toString('base64url', at, at + bytes);
      };
      for (let i = 0; i < count; i++) {
        createdAt += Math.max(1, Math.round(-Math.log(1 - random()) * meanGap));
        const created = Math.min(createdAt, now);
        const r = random();
        // Skewed: exp(r^4 · ln 5000) - 1 is 0 for about half the threads, ~5,000 at most.
        const magnitude = Math.floor(Math.exp(r ** 4 * Math.log(5000))) - 1;
        const score = random() < 0.08 ? -Math.min(magnitude, 40) : magnitude;
        const comments = Math.floor(
          Math.abs(score) * random() * 0.5 + Math.exp(random() ** 3 * 5) - 1,
        );
        const title = slice(12, 120);
        insert.run(
          randomUUID(),
          boardId,
          title.charAt(0).toUpperCase() + title.slice(1),
          slice(40, 1200),
          `${ADJECTIVES[Math.floor(random() * ADJECTIVES.length)]} ${ANIMALS[Math.floor(random() * ANIMALS.length)]}`,
          LABELS[Math.floor(random() * LABELS.length)],
          token(i, 0, TOKEN_BYTES),
          `v1.${token(i, TOKEN_BYTES, SEALED_BYTES)}`,
          score,
          comments,
          hotRank(score, new Date(created)),
          created,
          random() < 0.05 ? created + Math.floor(random() * 86_400_000) : null,
          random() < 0.3 ? token(i, TOKEN_BYTES + SEALED_BYTES, TOKEN_BYTES) : null,
        );
      }
    };
    // The feed indexes are dropped for the load and built again afterwards from their own
    // definitions (a sorted build is much faster than a million random inserts); the schema
    // ends up exactly as the migrations made it.
    const indexes = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'threads' AND sql IS NOT NULL",
      )
      .all() as Array<{ name: string; sql: string }>;
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    const inTransaction = db.transaction(batch);
    for (let done = 0; done < spec.threads; done += 100_000) {
      inTransaction(Math.min(100_000, spec.threads - done));
    }
    for (const index of indexes) db.exec(index.sql);
    db.pragma('journal_mode = WAL');
    return {
      ...spec,
      id: boardId,
      loadSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  } finally {
    db.close();
  }
}

/** SQLite's plan for a statement (EXPLAIN QUERY PLAN), one line per step. */
export function queryPlan(file: string, sql: string, parameters: unknown[]): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Array<{ detail: string }>
    ).map((row) => row.detail);
  } finally {
    db.close();
  }
}
