/**
 * Scale-out benchmark (docs/performance.md, "Scale-out: one and two instances on PostgreSQL"):
 * how many feed pages per second one server instance answers, and two identical instances
 * sharing PostgreSQL and Redis behind a load balancer, measured in the same run; and where
 * the CPU goes in each case (each instance, PostgreSQL, Redis, the load generator, the rest
 * of the machine), so that the ratio can be explained rather than just reported.
 *
 *   npm run bench:scale [-- --threads 200000 --clients 16 --rounds 5 --seconds 8 --pool 10
 *                          --reader visitor|member]
 *   (threads = published threads on the board; clients = closed-loop clients in both set-ups;
 *    rounds = one-instance/two-instance window pairs; seconds = length of a window;
 *    pool = DATABASE_POOL_SIZE of each instance; reader = who reads the pages: a visitor, or a
 *    member signed up through the API (codes from a real SMTP peer) whose page also asks for
 *    `viewerVote` and `isViewer`)
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and REDIS_URL (default
 * redis://127.0.0.1:6379) name the shared services. Everything the run creates (two schemas,
 * the Redis keys under its prefix, the server processes) is removed at the end, also on
 * error, Ctrl-C or when the watchdog stops the run.
 */
import 'reflect-metadata';
import { ThreadOrder } from '../src/posts/thread-order';
import { type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { encodeCursor, feedList } from '../src/posts/cursor';
import { CursorCipher } from '../src/infrastructure/crypto/cursor-cipher';
import { keyRingFor } from '../src/infrastructure/crypto/key-ring';
import { AppConfig } from '../src/infrastructure/config/app-config';
import { storeOptions } from '../src/store-entities';
import { openStore } from '../src/infrastructure/database/store-bootstrap';
import { STORES } from '../src/infrastructure/database/stores';
import {
  type Answer,
  contextSwitches,
  cpuMsDelta,
  cpuPressureUs,
  drive,
  freePort,
  GraphqlClient,
  machineCpuMs,
  median,
  percentile,
  processCpu,
  type ProcessCpu,
  startServer,
  stopChild,
  tcpLocalPorts,
  runMain,
  clampedInt,
} from './bench-http';
import {
  ADJECTIVES,
  ANIMALS,
  corpus,
  FEED_PAGE,
  FEED_QUERY,
  LABELS,
  MEMBER_FEED_QUERY,
  YEAR_MS,
} from './feeds-data';
import { signUpAccount } from './bench-forum';
import { SmtpPeer } from './smtp-peer';
import {
  DATABASE_URL,
  deleteRedisKeys,
  dropSchemas,
  guardRun,
  REDIS_URL,
  within,
} from './shared-services';
import { mulberry32 } from './prng';
import { NO_RATE_LIMITS } from '../src/infrastructure/rate-limit/no-rate-limits';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '8' },
    pool: { type: 'string', default: '10' },
    reader: { type: 'string', default: 'visitor' },
  },
});
if (values.reader !== 'visitor' && values.reader !== 'member') {
  throw new Error(`--reader must be visitor or member, not ${values.reader}`);
}
const READER: 'visitor' | 'member' = values.reader;
/** The page's query: a member's app asks for the member's own vote on each thread too. */
const QUERY = READER === 'member' ? MEMBER_FEED_QUERY : FEED_QUERY;
const THREADS = clampedInt(values.threads, 1_000, 2_000_000);
const CLIENTS = clampedInt(values.clients, 2, 128);
const ROUNDS = clampedInt(values.rounds, 1, 20);
const SECONDS = clampedInt(values.seconds, 2, 30);
const POOL = clampedInt(values.pool, 1, 40);
const WARM_UP_SECONDS = 3;
const CORES = availableParallelism();
/** Pages of the mix: the first, one 1,000 threads down and one 10,000 down (or the last). */
const DEPTHS = [...new Set([0, 1_000, 10_000].map((d) => Math.min(d, lastPageOffset())))];
const ORDERS = [ThreadOrder.NEW, ThreadOrder.TOP, ThreadOrder.HOT] as const;
const SORT_COLUMN: Record<ThreadOrder, string> = {
  [ThreadOrder.NEW]: 'created_at',
  [ThreadOrder.TOP]: 'score',
  [ThreadOrder.HOT]: 'hot_rank',
};
const BOARD_SLUG = 'bench-scale';
/** A component using at least this share of what it can use counts as saturated. */
const SATURATED = 0.9;
/**
 * Below SATURATED, the machine still counts as the limit when it is this busy and runnable
 * tasks wait for a core this share of the time: the instances' event loops are then queueing
 * behind PostgreSQL and the load generator rather than idling.
 */
const CONTENDED = { busy: 0.75, pressure: 0.5 };
/** Cores of other people's work (the machine is shared) above which a run is flagged. */
const FOREIGN_WARNING = 0.1;
/**
 * The whole run (load, start-up, windows, clean-up) is stopped after this long: about four
 * minutes with the defaults, more when the flags ask for more.
 */
const RUN_LIMIT_MS =
  100_000 + THREADS * 0.2 + 2 * ROUNDS * (SECONDS + 1) * 1000 + 2 * WARM_UP_SECONDS * 1000;
function lastPageOffset(): number {
  return Math.floor((THREADS - 1) / FEED_PAGE) * FEED_PAGE;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const pct = (fraction: number) => `${Math.round(fraction * 100)} %`;

/** One page of the mix: its variables, and the id its first thread must have. */
interface FeedCase {
  order: ThreadOrder;
  depth: number;
  variables: { slug: string; order: ThreadOrder; after: string | null };
  firstId: string;
}

interface Instance {
  label: string;
  child: ChildProcess;
  client: GraphqlClient;
}

interface Setup {
  name: 'one' | 'two';
  /** The instances the load balancer sends clients to (the other one idles). */
  targets: Instance[];
  windows: WindowResult[];
}

/**
 * CPU ms over a window, per component. `other` is the machine's busy time the components do
 * not explain: interrupts (mostly loopback TCP), steal, and other processes (the busiest
 * named in `otherProcesses`).
 */
interface CpuSplit {
  instances: number[];
  /** Every PostgreSQL process: the run's backends, background work and any other client. */
  postgres: number;
  /** Of which the backends serving the instances' connections. */
  postgresRun: number;
  redis: number;
  loadGenerator: number;
  other: number;
  interrupts: number;
  steal: number;
  otherProcesses: Array<{ comm: string; ms: number }>;
  machineBusy: number;
}

interface WindowResult {
  setup: Setup['name'];
  seconds: number;
  ok: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMs: CpuSplit;
  /** Share of all cores busy over the window (whole machine, /proc/stat). */
  machineBusyShare: number;
  /** Share of the window during which some runnable task waited for a core (PSI). */
  cpuPressure: number | null;
  /** Cores used by work that is not this run's: other PostgreSQL clients, other processes. */
  foreignCores: number;
  /** Context switches of the serving instances' event-loop threads, per request. */
  switchesPerRequest: { voluntary: number; involuntary: number } | null;
  postgresProcesses: number;
  /** Approximate: PostgreSQL's statistics lag up to a second, and count every client. */
  postgresTransactionsPerRequest: number | null;
  /** Approximate: counts every client of this Redis. */
  redisCommandsPerRequest: number | null;
}

/**
 * Board and threads written with set-based SQL straight into the content schema (through the
 * API or TypeORM 200,000 threads would take minutes). The shape follows bench/feeds-data.ts:
 * times uniform over the past year (inserted oldest first, as a board grows), skewed scores
 * (about half 0, a tail to ~5,000, about 4 % negative), comment counts following the score,
 * hot_rank with the formula of src/discussions/threads/hot-rank.ts, titles of 12–120 and
 * bodies of 40–1,200 characters of corpus words, 43-character keyed tokens, 89-character
 * sealed references and idempotency keys on 30 % of rows. PostgreSQL's random() is seeded,
 * so the shape is the same every run; ids and tokens are random.
 */
async function loadBoard(db: Client, schema: string, now: number): Promise<string> {
  const table = (name: string) => `"${schema}".${name}`;
  const boardId = randomUUID();
  await db.query(
    `INSERT INTO ${table('boards')} (id, slug, name, kind, jurisdiction, company_id, created_at)
     VALUES ($1, $2, 'Bench scale-out', 'PUBLIC', 'US', NULL, $3)`,
    [boardId, BOARD_SLUG, now - YEAR_MS - 86_400_000],
  );
  // The feed indexes are built after the load from their own definitions (one sorted build
  // instead of 200,000 random inserts into three B-trees), so the schema ends as migrated.
  const indexes = (
    await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = $1 AND tablename = 'threads' AND indexname LIKE 'idx_threads_feed_%'`,
      [schema],
    )
  ).rows;
  for (const index of indexes) await db.query(`DROP INDEX "${schema}"."${index.indexname}"`);
  await db.query("SET work_mem = '256MB'");
  await db.query("SET maintenance_work_mem = '512MB'");
  await db.query('SELECT setseed(0.31)');
  // gen_random_uuid() gives 16 random bytes (bar 6 version bits): concatenated and encoded as
  // base64url, they have the length and alphabet of the server's HMAC tokens and seals.
  const base64url = (uuids: number) =>
    `translate(encode(${Array.from({ length: uuids }, () => 'uuid_send(gen_random_uuid())').join(
      ' || ',
    )}, 'base64'), E'+/=\\n', '-_')`;
  await db.query(
    `WITH shape AS (
       SELECT $2::bigint - floor(random() * $3::bigint)::bigint AS created_at,
              random() AS r_score, random() AS r_negative, random() AS r_comments,
              random() AS r_chatter, random() AS r_title_at, random() AS r_title_a,
              random() AS r_title_b, random() AS r_body_at, random() AS r_body_a,
              random() AS r_body_b, random() AS r_adjective, random() AS r_animal,
              random() AS r_label, random() AS r_edited, random() AS r_edit_delay,
              random() AS r_key
       FROM generate_series(1, $1::int)
     ), scored AS (
       SELECT *, CASE WHEN r_negative < 0.08 THEN -least(magnitude, 40) ELSE magnitude END AS score
       FROM (SELECT *, floor(exp(power(r_score, 4) * ln(5000)))::int - 1 AS magnitude
             FROM shape) s
     ), placed AS (
       -- Text starts after a space, on a whole word.
       SELECT *, title_at + strpos(substr($4::text, title_at, 30), ' ') AS title_from,
              body_at + strpos(substr($4::text, body_at, 30), ' ') AS body_from
       FROM (SELECT *, 1 + floor(r_title_at * (length($4::text) - 1400))::int AS title_at,
                    1 + floor(r_body_at * (length($4::text) - 1400))::int AS body_at
             FROM scored) s
     ), cut AS (
       SELECT *,
              substr($4::text, title_from, 12 + floor(r_title_a * r_title_b * 108)::int) AS title_raw,
              substr($4::text, body_from, 40 + floor(r_body_a * r_body_b * 1160)::int) AS body_raw
       FROM placed
     ), written AS (
       -- Without the partial last word, unless that leaves less than half the shortest text.
       SELECT *, CASE WHEN length(title_cut) >= 6 THEN title_cut ELSE title_raw END AS title_text,
              CASE WHEN length(body_cut) >= 20 THEN body_cut ELSE body_raw END AS body_text
       FROM (SELECT *, regexp_replace(title_raw, ' \\S*$', '') AS title_cut,
                    regexp_replace(body_raw, ' \\S*$', '') AS body_cut
             FROM cut) c
     )
     INSERT INTO ${table('threads')} (id, board_id, title, body, author_handle, author_label,
       author_token, sealed_ref, status, score, comment_count, hot_rank, created_at, edited_at,
       idempotency_key)
     SELECT gen_random_uuid()::text, $8, upper(left(title_text, 1)) || substr(title_text, 2),
            body_text,
            ($5::text[])[1 + floor(r_adjective * cardinality($5::text[]))::int] || ' ' ||
              ($6::text[])[1 + floor(r_animal * cardinality($6::text[]))::int],
            ($7::text[])[1 + floor(r_label * cardinality($7::text[]))::int],
            ${base64url(2)}, 'v1.' || ${base64url(4)}, 'PUBLISHED', score,
            floor(abs(score) * r_comments * 0.5 + exp(power(r_chatter, 3) * 5) - 1)::int,
            sign(score::float8) * log(greatest(abs(score), 1)::float8)
              + created_at::float8 / 1000 / 45000,
            created_at,
            CASE WHEN r_edited < 0.05 THEN created_at + floor(r_edit_delay * 86400000)::bigint END,
            CASE WHEN r_key < 0.3 THEN ${base64url(2)} END
     FROM written
     ORDER BY created_at`,
    [THREADS, now, YEAR_MS, corpus(mulberry32(7), 8000), ADJECTIVES, ANIMALS, LABELS, boardId],
  );
  for (const index of indexes) await db.query(index.indexdef);
  // VACUUM as well: a board that has been live a while has its visibility map and hint bits
  // set, so reads in the first window would otherwise also pay for writing them.
  await db.query(`VACUUM (ANALYZE) ${table('threads')}`);
  await db.query(`ANALYZE ${table('boards')}`);
  return boardId;
}

/**
 * The page mix: every order at every depth. A page's cursor is built from the thread just
 * above it, exactly as the server encodes its own `endCursor`s, and the thread that must come
 * first is kept to check the answers.
 */
async function feedCases(
  db: Client,
  schema: string,
  boardId: string,
  cursors: CursorCipher,
): Promise<FeedCase[]> {
  const cases: FeedCase[] = [];
  for (const order of ORDERS) {
    const column = SORT_COLUMN[order];
    for (const depth of DEPTHS) {
      const rows = (
        await db.query<{ id: string; key: string | number }>(
          `SELECT id, ${column} AS key FROM "${schema}".threads
           WHERE board_id = $1 AND status = 'PUBLISHED'
           ORDER BY ${column} DESC, id DESC OFFSET $2 LIMIT 2`,
          [boardId, Math.max(0, depth - 1)],
        )
      ).rows;
      const above = depth === 0 ? null : rows[0];
      const first = depth === 0 ? rows[0] : rows[1];
      if (first === undefined) throw new Error(`no thread at ${depth} in ${order} order`);
      cases.push({
        order,
        depth,
        variables: {
          slug: BOARD_SLUG,
          order,
          after:
            above === null
              ? null
              : encodeCursor(cursors, feedList(boardId), {
                  order,
                  key: Number(above.key),
                  id: above.id,
                }),
        },
        firstId: first.id,
      });
    }
  }
  return cases;
}

interface FeedAnswer {
  board: { threads: { edges: Array<{ node: { id: string } }> } } | null;
}

/** Each instance must answer every page of the mix with the expected threads. */
async function checkAnswers(instances: Instance[], cases: FeedCase[]): Promise<void> {
  for (const instance of instances) {
    for (const c of cases) {
      const data = await instance.client.data<FeedAnswer>(QUERY, c.variables);
      const edges = data.board?.threads.edges ?? [];
      if (edges.length !== FEED_PAGE || edges[0]?.node.id !== c.firstId) {
        throw new Error(
          `${instance.label}: ${c.order} page at ${c.depth} has ${edges.length} threads, ` +
            `first ${edges[0]?.node.id ?? 'none'} instead of ${c.firstId}`,
        );
      }
    }
  }
}

/** Counters read before and after a window. */
interface Snapshot {
  at: bigint;
  processes: Map<number, ProcessCpu>;
  self: NodeJS.CpuUsage;
  machine: ReturnType<typeof machineCpuMs>;
  pressureUs: number | null;
  /** PostgreSQL backends connected from the instances' sockets. */
  runBackends: Set<number>;
  switches: Array<{ voluntary: number; involuntary: number } | null>;
  postgresTransactions: number | null;
  redisCommands: number | null;
}

async function snapshot(instances: Instance[], stats: Client, redis: Redis): Promise<Snapshot> {
  // Counters that need a round trip first, so the CPU readings are as close to the window as
  // possible on both sides.
  const [transactions, info, backends] = await Promise.all([
    stats
      .query<{ n: string }>(
        'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
      )
      .then((result) => Number(result.rows[0]?.n ?? NaN))
      .catch(() => null),
    redis.info('stats').catch(() => ''),
    stats
      .query<{ pid: number; port: number }>(
        'SELECT pid, client_port AS port FROM pg_stat_activity WHERE client_port IS NOT NULL',
      )
      .then((result) => result.rows)
      .catch(() => []),
  ]);
  const instancePorts = new Set(instances.flatMap((i) => [...tcpLocalPorts(i.child.pid)]));
  const commands = /total_commands_processed:(\d+)/.exec(info)?.[1];
  return {
    at: process.hrtime.bigint(),
    processes: processCpu(),
    self: process.cpuUsage(),
    machine: machineCpuMs(),
    pressureUs: cpuPressureUs(),
    switches: instances.map((i) => contextSwitches(i.child.pid)),
    runBackends: new Set(backends.filter((b) => instancePorts.has(b.port)).map((b) => b.pid)),
    postgresTransactions: transactions,
    redisCommands: commands === undefined ? null : Number(commands),
  };
}

/**
 * One window: CLIENTS closed-loop clients for SECONDS, each kept on one of the set-up's
 * instances (client i on instance i mod n, as a load balancer spreading connections round
 * robin), all walking the same page mix.
 */
async function measureWindow(
  setup: Setup,
  all: Instance[],
  cases: FeedCase[],
  stats: Client,
  redis: Redis,
): Promise<WindowResult> {
  const latencies: number[] = [];
  let next = 0;
  let firstError = null as string | null;
  const request = async (worker: number): Promise<Answer> => {
    const target = setup.targets[worker % setup.targets.length];
    const c = cases[next++ % cases.length];
    try {
      const answer = await target.client.post(QUERY, c.variables);
      latencies.push(answer.ms);
      if (answer.status !== 200 || answer.text.includes('"errors"'))
        firstError ??= `${answer.status} ${answer.text.slice(0, 300)}`;
      return answer;
    } catch (error) {
      firstError ??= String(error);
      return { status: 0, text: String(error), ms: 0 };
    }
  };
  const before = await snapshot(all, stats, redis);
  const result = await drive(SECONDS, CLIENTS, request);
  const self = process.cpuUsage(before.self);
  const after = await snapshot(all, stats, redis);
  const seconds = Number(after.at - before.at) / 1e9;
  if (firstError !== null) say(`  first error (${setup.name}): ${firstError}`);
  const between = (include: (pid: number, p: ProcessCpu) => boolean) =>
    cpuMsDelta(before.processes, after.processes, include);
  // An instance with the processes it started (the password-hash worker).
  const ofInstance = (pid: number, p: ProcessCpu, instance: Instance) =>
    pid === instance.child.pid || p.ppid === instance.child.pid;
  const instances = all.map((instance) => between((pid, p) => ofInstance(pid, p, instance)));
  const postgres = between((_, p) => p.comm === 'postgres');
  const postgresRun = between(
    (pid, p) =>
      p.comm === 'postgres' && (before.runBackends.has(pid) || after.runBackends.has(pid)),
  );
  const redisMs = between((_, p) => p.comm === 'redis-server');
  const loadGenerator = (self.user + self.system) / 1000;
  const byCommand = new Map<string, number>();
  for (const [pid, p] of after.processes) {
    if (pid === process.pid || p.comm === 'postgres' || p.comm === 'redis-server') continue;
    if (all.some((instance) => ofInstance(pid, p, instance))) continue;
    const ms = p.cpuMs - (before.processes.get(pid)?.cpuMs ?? 0);
    if (ms > 0) byCommand.set(p.comm, (byCommand.get(p.comm) ?? 0) + ms);
  }
  const machine = {
    busy: NaN,
    total: NaN,
    interrupts: NaN,
    steal: NaN,
    ...(before.machine !== null && after.machine !== null
      ? {
          busy: after.machine.busy - before.machine.busy,
          total: after.machine.total - before.machine.total,
          interrupts: after.machine.interrupts - before.machine.interrupts,
          steal: after.machine.steal - before.machine.steal,
        }
      : {}),
  };
  const explained = instances.reduce((sum, ms) => sum + ms, 0) + postgres + redisMs + loadGenerator;
  const sorted = latencies.sort((a, b) => a - b);
  const perRequest = (count: number | null) => (count === null ? null : round(count / result.ok));
  return {
    setup: setup.name,
    seconds,
    ok: result.ok,
    errors: result.failed,
    perSecond: result.ok / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuMs: {
      instances,
      postgres,
      postgresRun,
      redis: redisMs,
      loadGenerator,
      other: machine.busy - explained,
      interrupts: machine.interrupts,
      steal: machine.steal,
      otherProcesses: [...byCommand]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([comm, ms]) => ({ comm, ms })),
      machineBusy: machine.busy,
    },
    machineBusyShare: machine.busy / machine.total,
    cpuPressure:
      before.pressureUs === null || after.pressureUs === null
        ? null
        : (after.pressureUs - before.pressureUs) / 1e6 / seconds,
    switchesPerRequest: switchesPerRequest(setup, all, before, after, result.ok),
    foreignCores: Math.max(
      0,
      (postgres - postgresRun + machine.busy - explained - machine.interrupts - machine.steal) /
        1000 /
        seconds,
    ),
    postgresProcesses: [...after.processes.values()].filter((p) => p.comm === 'postgres').length,
    postgresTransactionsPerRequest: perRequest(
      before.postgresTransactions === null || after.postgresTransactions === null
        ? null
        : after.postgresTransactions - before.postgresTransactions - 1,
    ),
    redisCommandsPerRequest: perRequest(
      before.redisCommands === null || after.redisCommands === null
        ? null
        : after.redisCommands - before.redisCommands - 1,
    ),
  };
}

/** Context switches of the set-up's serving instances over a window, per request. */
function switchesPerRequest(
  setup: Setup,
  all: Instance[],
  before: Snapshot,
  after: Snapshot,
  requests: number,
): { voluntary: number; involuntary: number } | null {
  let voluntary = 0;
  let involuntary = 0;
  for (const target of setup.targets) {
    const i = all.indexOf(target);
    const [a, b] = [before.switches[i], after.switches[i]];
    if (a === null || b === null) return null;
    voluntary += b.voluntary - a.voluntary;
    involuntary += b.involuntary - a.involuntary;
  }
  return { voluntary: voluntary / requests, involuntary: involuntary / requests };
}

/** What a window's CPU is split into for the report; `machine` is all the busy time. */
const COMPONENTS = {
  allInstances: (cpu: CpuSplit) => cpu.instances.reduce((sum, ms) => sum + ms, 0),
  postgres: (cpu: CpuSplit) => cpu.postgres,
  postgresRun: (cpu: CpuSplit) => cpu.postgresRun,
  redis: (cpu: CpuSplit) => cpu.redis,
  loadGenerator: (cpu: CpuSplit) => cpu.loadGenerator,
  other: (cpu: CpuSplit) => cpu.other,
  interrupts: (cpu: CpuSplit) => cpu.interrupts,
  steal: (cpu: CpuSplit) => cpu.steal,
  machine: (cpu: CpuSplit) => cpu.machineBusy,
};
type Component = keyof typeof COMPONENTS;

/** The medians of a set-up's windows: throughput, latency, and CPU per request and in cores. */
function summarise(setup: Setup, instanceCount: number) {
  const w = setup.windows;
  const m = (pick: (window: WindowResult) => number) => median(w.map(pick));
  const perRequest = (pick: (cpu: CpuSplit) => number) =>
    round(
      m((x) => pick(x.cpuMs) / x.ok),
      3,
    );
  const cores = (pick: (cpu: CpuSplit) => number) =>
    round(m((x) => pick(x.cpuMs) / 1000 / x.seconds));
  const each = (measure: (pick: (cpu: CpuSplit) => number) => number) => ({
    instances: Array.from({ length: instanceCount }, (_, i) => measure((cpu) => cpu.instances[i])),
    ...(Object.fromEntries(
      Object.entries(COMPONENTS).map(([name, pick]) => [name, measure(pick)]),
    ) as Record<Component, number>),
  });
  return {
    setup: setup.name,
    windows: w.length,
    perSecond: Math.round(m((x) => x.perSecond)),
    p50: round(m((x) => x.p50)),
    p99: round(m((x) => x.p99)),
    ok: w.reduce((sum, x) => sum + x.ok, 0),
    errors: w.reduce((sum, x) => sum + x.errors, 0),
    machineBusyShare: round(
      m((x) => x.machineBusyShare),
      3,
    ),
    cpuPressure: medianOrNull(w.map((x) => x.cpuPressure)),
    cpuMsPerRequest: each(perRequest),
    cores: each(cores),
    otherProcesses: busiestOthers(w),
    postgresTransactionsPerRequest: medianOrNull(w.map((x) => x.postgresTransactionsPerRequest)),
    redisCommandsPerRequest: medianOrNull(w.map((x) => x.redisCommandsPerRequest)),
    foreignCores: round(m((x) => x.foreignCores)),
    /** Windows in which other work used less than FOREIGN_WARNING cores, and their median. */
    quiet: {
      windows: w.filter((x) => x.foreignCores < FOREIGN_WARNING).length,
      perSecond: Math.round(
        median(w.filter((x) => x.foreignCores < FOREIGN_WARNING).map((x) => x.perSecond)),
      ),
    },
    eventLoopSwitchesPerRequest: {
      voluntary: medianOrNull(w.map((x) => x.switchesPerRequest?.voluntary ?? null)),
      involuntary: medianOrNull(w.map((x) => x.switchesPerRequest?.involuntary ?? null)),
    },
  };
}

/**
 * The throughput the measured costs allow when CPU is the only limit and nothing else runs:
 * the instances' cores (a Node process's JavaScript uses one core, so n instances give n
 * cores' worth) and the machine's cores shared by everything this run puts on it. `servers`
 * leaves the load generator out: the machine's ceiling were the load to come from elsewhere.
 */
function ceilings(s: Summary, instances: number) {
  const r = s.cpuMsPerRequest;
  const own = r.allInstances + r.postgresRun + r.redis;
  const instanceCores = (instances * 1000) / r.allInstances;
  const machine = (CORES * 1000) / (own + r.loadGenerator);
  return {
    instanceCores: Math.round(instanceCores),
    machine: Math.round(machine),
    servers: Math.round((CORES * 1000) / own),
    predicted: Math.round(Math.min(instanceCores, machine)),
  };
}
type Summary = ReturnType<typeof summarise>;

/** The other processes that used the most CPU over all of a set-up's windows, in cores. */
function busiestOthers(windows: WindowResult[]): Array<{ comm: string; cores: number }> {
  const ms = new Map<string, number>();
  for (const w of windows) {
    for (const p of w.cpuMs.otherProcesses) ms.set(p.comm, (ms.get(p.comm) ?? 0) + p.ms);
  }
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0);
  return [...ms]
    .map(([comm, total]) => ({ comm, cores: round(total / 1000 / seconds) }))
    .filter((p) => p.cores >= 0.01)
    .sort((a, b) => b.cores - a.cores)
    .slice(0, 3);
}

function medianOrNull(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === 0 ? null : round(median(known));
}

/**
 * Which component limits a set-up, from the CPU each used: the machine as a whole (its cores
 * busy, or runnable tasks queueing for them), else one component at the ceiling of what it
 * can use (a Node process runs its JavaScript on one core, Redis executes commands on one
 * thread, PostgreSQL can use every core), else nothing: the clients are too few to keep the
 * servers busy.
 */
function bottleneck(s: Summary): string {
  const c = s.cores;
  const share = (cores: number) => pct(Math.max(0, cores) / c.machine);
  const split =
    `instances ${share(c.allInstances)} (${c.instances.map((x) => x.toFixed(2)).join(' + ')} cores), ` +
    `PostgreSQL ${share(c.postgres)} (${c.postgres.toFixed(2)}: this run's backends ` +
    `${c.postgresRun.toFixed(2)}, other clients and background ` +
    `${Math.max(0, c.postgres - c.postgresRun).toFixed(2)}), load generator ${share(c.loadGenerator)} ` +
    `(${c.loadGenerator.toFixed(2)}), Redis ${share(c.redis)} (${c.redis.toFixed(2)}), ` +
    `the rest ${share(c.other)} (${Math.max(0, c.other).toFixed(2)}: interrupts ` +
    `${c.interrupts.toFixed(2)}, steal ${c.steal.toFixed(2)}` +
    `${s.otherProcesses.map((p) => `, ${p.comm} ${p.cores.toFixed(2)}`).join('')})`;
  const waited =
    s.cpuPressure === null
      ? ''
      : `, runnable tasks waited for a core ${pct(s.cpuPressure)} of the time`;
  const busy = `machine ${pct(s.machineBusyShare)} busy${waited}`;
  const hottestInstance = Math.max(...c.instances.slice(0, s.setup === 'one' ? 1 : 2));
  if (s.machineBusyShare >= SATURATED) {
    return `machine CPU saturated (${busy}); of the busy time: ${split}`;
  }
  if (hottestInstance >= SATURATED) {
    return (
      `instance CPU: an instance at ${pct(hottestInstance)} of a core (its JavaScript runs ` +
      `on one thread); ${busy}; of the busy time: ${split}`
    );
  }
  if ((s.cpuPressure ?? 0) >= CONTENDED.pressure && s.machineBusyShare >= CONTENDED.busy) {
    return `machine CPU contended (${busy}); of the busy time: ${split}`;
  }
  if (c.postgres >= SATURATED * CORES) {
    return `PostgreSQL at ${pct(c.postgres / CORES)} of the machine; ${busy}: ${split}`;
  }
  if (c.loadGenerator >= SATURATED) {
    return `load generator at ${pct(c.loadGenerator)} of a core; ${busy}: ${split}`;
  }
  if (c.redis >= SATURATED) return `Redis at ${pct(c.redis)} of a core; ${busy}: ${split}`;
  return `no CPU saturated (${busy}): the ${CLIENTS} clients wait on latency; ${split}`;
}

/** A Markdown table with its columns padded, numbers right-aligned. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (/^[\d.,% ()+/-]+$/.test(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const tag = randomBytes(5).toString('hex');
  const schemas = STORES.map((store) => `bench_${tag}_${store}`);
  const [identitySchema, contentSchema] = schemas;
  const redisPrefix = `bench-${tag}:`;
  const applicationName = `bench-scale-out:${tag}`;
  const children: ChildProcess[] = [];
  const clients: GraphqlClient[] = [];
  const connections: Array<{ close(): Promise<unknown> }> = [];
  const smtp = new SmtpPeer();
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      clients.forEach((client) => client.close());
      await within(10_000, Promise.all(children.map((child) => stopChild(child))));
      await within(5_000, smtp.stop());
      await within(5_000, Promise.all(connections.map((c) => c.close())));
      await within(20_000, dropSchemas(DATABASE_URL, schemas, applicationName));
      await within(10_000, deleteRedisKeys(REDIS_URL, redisPrefix));
    })());
  const watchdog = guardRun(
    'scale-out bench',
    RUN_LIMIT_MS,
    () => children.forEach((child) => child.kill('SIGKILL')),
    cleanUp,
  );

  const loadAtStart = round(loadavg()[0]);
  say(
    `scale-out bench: Node ${process.version}, ${CORES} cores, load average ${loadAtStart}; ` +
      `${THREADS.toLocaleString('en')} threads, ${CLIENTS} clients, ${ROUNDS} rounds of ` +
      `${SECONDS} s per set-up, pool ${POOL}, pages read by a ${READER}; schemas ${schemas.join(', ')}, Redis prefix ${redisPrefix}`,
  );
  try {
    // 1. Shared services: Redis must answer (instances use it once REDIS_URL is honoured).
    const redis = new Redis(REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
    });
    connections.push({ close: () => redis.quit() });
    await redis.connect();
    const stats = new Client({
      connectionString: DATABASE_URL,
      connectionTimeoutMillis: 5000,
      application_name: applicationName,
    });
    connections.push({ close: () => stats.end() });
    await stats.connect();
    const postgresVersion = (await stats.query<{ v: string }>('SHOW server_version')).rows[0].v;

    // 2. The stores, migrated by the project's own bootstrap, then the board.
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      APP_SECRET: randomBytes(32).toString('base64'),
      PUBLIC_READ: 'true',
      LOG_LEVEL: 'warn',
      // Pages are computed every time: visitors' would mostly come from this cache, members'
      // from theirs (the feeds bench measures both caches).
      VISITOR_CACHE_MS: '0',
      MEMBER_CACHE_MS: '0',
      DATABASE_URL,
      DATABASE_IDENTITY_SCHEMA: identitySchema,
      DATABASE_CONTENT_SCHEMA: contentSchema,
      DATABASE_POOL_SIZE: String(POOL),
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      ...NO_RATE_LIMITS,
      // Closed-loop clients never run past capacity: on a busy machine a stall of the event
      // loop must not turn a measured request into a 503 (as in bench:feeds).
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
    };
    if (READER === 'member') {
      // The member's sign-up code is read from this peer.
      await smtp.start();
      env.SMTP_URL = smtp.url;
    }
    const config = AppConfig.fromEnv(env);
    for (const store of STORES) await (await openStore(storeOptions(config, store))).destroy();
    const loadStarted = performance.now();
    const loader = new Client({
      connectionString: DATABASE_URL,
      application_name: applicationName,
    });
    await loader.connect();
    let boardId: string;
    let cases: FeedCase[];
    try {
      boardId = await loadBoard(loader, contentSchema, Date.now());
      cases = await feedCases(loader, contentSchema, boardId, new CursorCipher(keyRingFor(config)));
    } finally {
      await loader.end();
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const contentMiB =
      Number(
        (
          await stats.query<{ bytes: string }>(
            `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
            [contentSchema],
          )
        ).rows[0].bytes,
      ) /
      2 ** 20;
    say(
      `loaded ${THREADS.toLocaleString('en')} threads in ${loadSeconds.toFixed(1)} s ` +
        `(indexes, VACUUM ANALYZE included); content schema ${contentMiB.toFixed(0)} MiB; ` +
        `page mix: ${ORDERS.join('/')} at depths ${DEPTHS.join(', ')}`,
    );

    // 3. Two identical instances, started together.
    const ports = [await freePort(), await freePort()];
    const started = await Promise.all(
      ports.map((port) =>
        startServer({ ...env, PORT: String(port) }, (child) => children.push(child)),
      ),
    );
    const url = (i: number) => `http://127.0.0.1:${ports[i]}/graphql`;
    // A member (US, as the board) signs up on instance A; the session is in the shared store,
    // so the same token is good on both instances.
    let headers: Record<string, string> = {};
    if (READER === 'member') {
      const anonymous = new GraphqlClient(url(0));
      clients.push(anonymous);
      headers = {
        authorization: `Bearer ${await signUpAccount(anonymous, smtp, 'member@bench.example', 'US')}`,
      };
    }
    const instances: Instance[] = started.map((child, i) => {
      const client = new GraphqlClient(url(i), headers);
      clients.push(client);
      return { label: `instance ${'AB'[i]}`, child, client };
    });
    await checkAnswers(instances, cases);
    const setups: Setup[] = [
      { name: 'one', targets: [instances[0]], windows: [] },
      { name: 'two', targets: instances, windows: [] },
    ];

    // 4. Warm-up (JIT, pools, PostgreSQL's caches), then one/two/one/two… so that the
    //    machine's drift and the other work on it hit both set-ups alike.
    for (const setup of [...setups].reverse()) {
      await drive(WARM_UP_SECONDS, CLIENTS, (worker) =>
        setup.targets[worker % setup.targets.length].client.post(
          QUERY,
          cases[worker % cases.length].variables,
        ),
      );
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const setup of setups) {
        const w = await measureWindow(setup, instances, cases, stats, redis);
        setup.windows.push(w);
        const inCores = (ms: number) => (ms / 1000 / w.seconds).toFixed(2);
        say(
          `round ${r + 1}/${ROUNDS} ${setup.name}: ${Math.round(w.perSecond)} req/s, ` +
            `p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, errors ${w.errors}; ` +
            `machine ${pct(w.machineBusyShare)} busy, CPU wait ` +
            `${w.cpuPressure === null ? 'n/a' : pct(w.cpuPressure)}; cores: instances ` +
            `${w.cpuMs.instances.map((ms) => inCores(ms)).join(' + ')}, PostgreSQL ` +
            `${inCores(w.cpuMs.postgres)} (run's ${inCores(w.cpuMs.postgresRun)}), ` +
            `load generator ${inCores(w.cpuMs.loadGenerator)}, rest ${inCores(w.cpuMs.other)}`,
        );
      }
    }

    // 5. Report.
    const [one, two] = setups.map((setup) => summarise(setup, instances.length));
    const ratio = two.perSecond / one.perSecond;
    const pairRatios = setups[0].windows.map((w, i) =>
      round(setups[1].windows[i].perSecond / w.perSecond),
    );
    const verdicts = { one: bottleneck(one), two: bottleneck(two) };
    const cell = (value: number) => Math.max(0, value).toFixed(2);
    const name = (s: Summary) => (s.setup === 'one' ? 'one instance' : 'two instances');
    say('');
    say(
      `feed pages read by a ${READER} (${CLIENTS} closed-loop keep-alive clients, visitor ` +
        `cache off, medians of ` +
        `${ROUNDS} windows of ${SECONDS} s per set-up, alternating); CPU ms per request:`,
    );
    markdownTable(
      [
        'set-up',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'instances (A + B)',
        "PostgreSQL (run's backends)",
        'Redis',
        'load gen.',
        'rest',
        'machine',
      ],
      [one, two].map((s) => {
        const r = s.cpuMsPerRequest;
        return [
          name(s),
          s.perSecond.toLocaleString('en'),
          s.p50.toFixed(1),
          s.p99.toFixed(1),
          String(s.errors),
          `${cell(r.allInstances)} (${r.instances.map(cell).join(' + ')})`,
          `${cell(r.postgres)} (${cell(r.postgresRun)})`,
          cell(r.redis),
          cell(r.loadGenerator),
          cell(r.other),
          cell(r.machine),
        ];
      }),
    ).forEach(say);
    say('');
    say(`cores used (of ${CORES}), medians of the windows:`);
    markdownTable(
      [
        'set-up',
        'instance A',
        'instance B',
        "PostgreSQL (run's backends)",
        'Redis',
        'load gen.',
        'rest (interrupts, steal)',
        'machine busy',
        'CPU wait',
      ],
      [one, two].map((s) => {
        const c = s.cores;
        return [
          name(s),
          cell(c.instances[0]),
          cell(c.instances[1]),
          `${cell(c.postgres)} (${cell(c.postgresRun)})`,
          cell(c.redis),
          cell(c.loadGenerator),
          `${cell(c.other)} (${cell(c.interrupts)}, ${cell(c.steal)})`,
          `${cell(c.machine)} (${pct(s.machineBusyShare)})`,
          s.cpuPressure === null ? 'n/a' : pct(s.cpuPressure),
        ];
      }),
    ).forEach(say);
    for (const s of [one, two]) {
      if (s.otherProcesses.length > 0) {
        say(
          `busiest other processes (${name(s)}): ` +
            `${s.otherProcesses.map((p) => `${p.comm} ${p.cores.toFixed(2)}`).join(', ')} cores`,
        );
      }
    }
    say('');
    say(
      `ratio two ÷ one instance: ${ratio.toFixed(2)} (per round: ${pairRatios.join(', ')}); ` +
        `PostgreSQL transactions per request ≈ ${one.postgresTransactionsPerRequest ?? '?'} / ` +
        `${two.postgresTransactionsPerRequest ?? '?'}, Redis commands per request ≈ ` +
        `${one.redisCommandsPerRequest ?? '?'} / ${two.redisCommandsPerRequest ?? '?'}`,
    );
    const limits = { one: ceilings(one, 1), two: ceilings(two, 2) };
    const described = (s: Summary, limit: ReturnType<typeof ceilings>, n: number) =>
      `${name(s)}: ${n === 1 ? 'its core' : 'their cores'} ${n * 1000}/${cell(s.cpuMsPerRequest.allInstances)} ms = ` +
      `${limit.instanceCores.toLocaleString('en')} req/s, the machine ${CORES * 1000}/` +
      `${cell(s.cpuMsPerRequest.allInstances + s.cpuMsPerRequest.postgresRun + s.cpuMsPerRequest.redis + s.cpuMsPerRequest.loadGenerator)} ms = ` +
      `${limit.machine.toLocaleString('en')} req/s → ${limit.predicted.toLocaleString('en')}`;
    say(
      `CPU ceilings from the costs per request (nothing else running): ` +
        `${described(one, limits.one, 1)}; ${described(two, limits.two, 2)}; ratio of the ` +
        `ceilings ${(limits.two.predicted / limits.one.predicted).toFixed(2)}`,
    );
    const switches = (s: Summary) =>
      `${s.eventLoopSwitchesPerRequest.voluntary ?? '?'} voluntary + ` +
      `${s.eventLoopSwitchesPerRequest.involuntary ?? '?'} involuntary`;
    say(
      `event-loop context switches per request: one instance ${switches(one)}, ` +
        `two instances ${switches(two)}`,
    );
    const foreign = Math.max(one.foreignCores, two.foreignCores);
    if (foreign >= FOREIGN_WARNING) {
      say(
        `warning: work that is not this run's used ${one.foreignCores} / ${two.foreignCores} ` +
          `cores (median window, one / two instances): other PostgreSQL clients, other ` +
          `processes. Throughput is a floor; the CPU per request and the ceilings are the ` +
          `figures to compare.`,
      );
      if (one.quiet.windows > 0 && two.quiet.windows > 0) {
        say(
          `windows without other work (< ${FOREIGN_WARNING} cores): one instance ` +
            `${one.quiet.windows}, median ${one.quiet.perSecond} req/s; two instances ` +
            `${two.quiet.windows}, median ${two.quiet.perSecond} req/s; ratio ` +
            `${(two.quiet.perSecond / one.quiet.perSecond).toFixed(2)}`,
        );
      }
    }
    say(`bottleneck, one instance: ${verdicts.one}`);
    say(`bottleneck, two instances: ${verdicts.two}`);
    say(
      JSON.stringify({
        node: process.version,
        postgres: postgresVersion,
        reader: READER,
        runSeconds: Math.round((performance.now() - runStarted) / 1000),
        cores: CORES,
        loadAverage: { start: loadAtStart, end: round(loadavg()[0]) },
        threads: THREADS,
        loadSeconds: round(loadSeconds, 1),
        contentMiB: Math.round(contentMiB),
        clients: CLIENTS,
        rounds: ROUNDS,
        seconds: SECONDS,
        pool: POOL,
        depths: DEPTHS,
        one,
        two,
        ratio: round(ratio),
        ceilings: limits,
        pairRatios,
        bottleneck: verdicts,
        windows: setups.flatMap((s) =>
          s.windows.map((w) => ({
            ...w,
            perSecond: round(w.perSecond, 1),
            p50: round(w.p50),
            p99: round(w.p99),
            seconds: round(w.seconds, 3),
            machineBusyShare: round(w.machineBusyShare, 3),
            cpuPressure: w.cpuPressure === null ? null : round(w.cpuPressure, 3),
            foreignCores: round(w.foreignCores),
            cpuMs: {
              ...w.cpuMs,
              other: round(w.cpuMs.other, 0),
            },
          })),
        ),
      }),
    );
    if (one.errors + two.errors > 0) process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

runMain(main);
