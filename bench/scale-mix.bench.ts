/**
 * The mixed load on one and two instances (docs/performance.md, "Scale-out: the mixed load on
 * one and two instances"): the load benchmark's members' mix (bench/load-workload.ts: 80 % feed
 * and thread reads, 15 % comments and votes, 5 % new threads), sent open-loop at one rate to
 * one instance, then spread over two identical instances on the same PostgreSQL and Redis, in
 * alternating windows. Each member stays on one instance (member i on instance i mod 2), as a
 * load balancer keeping a client on its connection does, so threads written on one instance are
 * read on the other: what each instance keeps of members' shared answers then depends on what
 * the other's writes announce (a write drops what it touched, nothing else).
 *
 * Per set-up: latency (p50, p99, from when each request was due), errors, the instances' CPU
 * per request, PostgreSQL's and Redis's CPU per request (their processes on this machine), and
 * members' shared answers looked up and found on each instance.
 *
 *   npm run bench:scale-mix [-- --rate 120 --seconds 15 --rounds 2 --members 20 --threads 100]
 *
 * Moderation's effects on people are delivered as they come (no mixing window), so that every
 * window carries its share of them and none carries a window's end. DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) and REDIS_URL (default redis://127.0.0.1:6379)
 * name the shared services. Everything the run creates (two schemas, its Redis keys, the
 * server processes, a folder) is removed at the end, also on error, Ctrl-C or when the
 * watchdog stops the run.
 */
import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STORES } from '../src/infrastructure/database/stores';
import { startBenchForum, type BenchForum } from './bench-forum';
import {
  clampedInt,
  cpuMsDelta,
  freePort,
  GraphqlClient,
  percentile,
  processCpu,
  runMain,
  startServer,
  stopChild,
} from './bench-http';
import {
  type LoadWorld,
  openLoop,
  type OpenLoopResult,
  seedThreads,
  workload,
} from './load-workload';
import { METRICS_TOKEN, outboxDrained, sharedAnswers } from './server-metrics';
import {
  DATABASE_URL,
  deleteRedisKeys,
  dropSchemas,
  guardRun,
  REDIS_URL,
  within,
} from './shared-services';
import { SmtpPeer } from './smtp-peer';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '120' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '2' },
    members: { type: 'string', default: '20' },
    threads: { type: 'string', default: '100' },
  },
});
const RATE = clampedInt(values.rate, 10, 5_000);
const SECONDS = clampedInt(values.seconds, 3, 120);
const ROUNDS = clampedInt(values.rounds, 1, 10);
const MEMBERS = clampedInt(values.members, 2, 200);
const THREADS = clampedInt(values.threads, 10, 2_000);
const WARM_UP_SECONDS = 5;
/** The whole run is stopped after this long (set-up through the API, windows, clean-up). */
const RUN_LIMIT_MS =
  120_000 + MEMBERS * 2_000 + THREADS * 500 + (2 * ROUNDS * SECONDS + WARM_UP_SECONDS) * 2_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

type Setup = 'one instance' | 'two instances';

interface Window {
  setup: Setup;
  run: OpenLoopResult;
  /** CPU ms of each instance over the window. */
  instances: number[];
  postgres: number;
  redis: number;
  /** Members' shared answers looked up and found, per instance, over the window. */
  shared: Array<{ hits: number; misses: number }>;
}

/** CPU ms of PostgreSQL's and Redis's processes between two snapshots. */
function servicesCpu(before: ReturnType<typeof processCpu>, after: ReturnType<typeof processCpu>) {
  return {
    postgres: cpuMsDelta(before, after, (_, p) => p.comm === 'postgres'),
    redis: cpuMsDelta(before, after, (_, p) => p.comm === 'redis-server'),
  };
}

/** One window of the open loop on `setup`, with what it cost each process. */
async function measure(
  setup: Setup,
  instances: ChildProcess[],
  metricsUrls: string[],
  next: ReturnType<typeof workload>,
): Promise<Window> {
  const sharedBefore = await Promise.all(metricsUrls.map(sharedAnswers));
  const before = processCpu();
  const run = await openLoop(RATE, SECONDS, next);
  const after = processCpu();
  const sharedAfter = await Promise.all(metricsUrls.map(sharedAnswers));
  return {
    setup,
    run,
    instances: instances.map((child) => cpuMsDelta(before, after, (pid) => pid === child.pid)),
    ...servicesCpu(before, after),
    shared: sharedAfter.map((s, i) => ({
      hits: s.hits - sharedBefore[i].hits,
      misses: s.misses - sharedBefore[i].misses,
    })),
  };
}

/** The windows of one set-up together: a table row. */
function summary(setup: Setup, windows: Window[]): string[] {
  const mine = windows.filter((w) => w.setup === setup);
  const served = mine.reduce((sum, w) => sum + w.run.ok, 0);
  const latencies = mine.flatMap((w) => w.run.latencies).sort((a, b) => a - b);
  const perRequest = (ms: number) => (served === 0 ? '?' : (ms / served).toFixed(2));
  const instanceMs = [0, 1].map((i) => mine.reduce((sum, w) => sum + w.instances[i], 0));
  const shared = [0, 1].map((i) => {
    const hits = mine.reduce((sum, w) => sum + w.shared[i].hits, 0);
    const lookups = hits + mine.reduce((sum, w) => sum + w.shared[i].misses, 0);
    return lookups === 0 ? '—' : `${hits} of ${lookups} (${Math.round((100 * hits) / lookups)} %)`;
  });
  return [
    setup,
    String(served),
    `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}`,
    String(mine.reduce((sum, w) => sum + w.run.errors + w.run.dropped, 0)),
    `${perRequest(instanceMs[0] + instanceMs[1])} (${perRequest(instanceMs[0])} + ${perRequest(instanceMs[1])})`,
    perRequest(mine.reduce((sum, w) => sum + w.postgres, 0)),
    perRequest(mine.reduce((sum, w) => sum + w.redis, 0)),
    shared[0],
    shared[1],
  ];
}

async function main(): Promise<void> {
  const tag = randomBytes(5).toString('hex');
  const schemas = STORES.map((store) => `bench_${tag}_${store}`);
  const [identitySchema, contentSchema] = schemas;
  const redisPrefix = `bench-${tag}:`;
  const folder = mkdtempSync(join(tmpdir(), 'bench-scale-mix-'));
  const smtp = new SmtpPeer();
  let forum: BenchForum | undefined;
  let second: ChildProcess | undefined;
  const clients: GraphqlClient[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      [...clients, ...(forum?.clients ?? [])].forEach((client) => client.close());
      await within(10_000, Promise.all([stopChild(forum?.server), stopChild(second)]));
      await within(5_000, smtp.stop());
      // The instances' pools are gone with them: no connection of the run is left to end.
      await within(20_000, dropSchemas(DATABASE_URL, schemas));
      await within(10_000, deleteRedisKeys(REDIS_URL, redisPrefix));
      rmSync(folder, { recursive: true, force: true });
    })());
  const watchdog = guardRun(
    'scale-mix bench',
    RUN_LIMIT_MS,
    () => [forum?.server, second].forEach((child) => child?.kill('SIGKILL')),
    cleanUp,
  );

  say(
    `scale-mix bench: Node ${process.version}, load average ${loadavg()[0].toFixed(2)}; ` +
      `${RATE}/s for ${SECONDS} s, ${ROUNDS} rounds per set-up, ${MEMBERS} members, ` +
      `${THREADS} seed threads; schemas ${schemas.join(', ')}, Redis prefix ${redisPrefix}`,
  );
  try {
    await smtp.start();
    const setUpStarted = performance.now();
    // Instance A sets the forum up (staff, company, board); B starts on the same stores.
    forum = await startBenchForum(folder, smtp, {
      DATABASE_URL,
      DATABASE_IDENTITY_SCHEMA: identitySchema,
      DATABASE_CONTENT_SCHEMA: contentSchema,
      DATABASE_POOL_SIZE: '10',
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      METRICS_TOKEN,
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      IDENTITY_MIX_WINDOW_SECONDS: '0',
      IDENTITY_MIX_MIN_BATCH: '1',
    });
    const bPort = await freePort();
    second = await startServer({ ...forum.env, PORT: String(bPort) });
    const urls = [forum.url, `http://127.0.0.1:${bPort}/graphql`];
    const metricsUrls = urls.map((url) => url.replace(/\/graphql$/, '/metrics'));
    const instances = [forum.server, second];

    // Each member's session is in the shared identity store: the same token on both.
    const onInstance: GraphqlClient[][] = [[], []];
    for (let i = 0; i < MEMBERS; i++) {
      const authorization = `Bearer ${await forum.memberToken(`member${i}`)}`;
      for (const [n, url] of urls.entries()) {
        const client = new GraphqlClient(url, { authorization });
        clients.push(client);
        onInstance[n].push(client);
      }
    }
    const world: LoadWorld = {
      boardSlug: 'general',
      boardId: forum.boardId,
      threadIds: [],
      members: onInstance[0].map((client) => ({ client })),
      authors: new Map(),
    };
    await seedThreads(world, THREADS);
    await outboxDrained(metricsUrls[0]);
    say(
      `set up ${MEMBERS} verified members and ${THREADS} threads (3 comments each) through ` +
        `instance A in ${((performance.now() - setUpStarted) / 1000).toFixed(1)} s`,
    );
    /** Puts each member on instance A, or on instance (member's number mod 2). */
    const spread = (setup: Setup) =>
      world.members.forEach(
        (member, i) => (member.client = onInstance[setup === 'one instance' ? 0 : i % 2][i]),
      );
    const next = workload(world, 42);
    spread('two instances');
    await openLoop(Math.ceil(RATE / 2), WARM_UP_SECONDS, next);

    const windows: Window[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const setup of ['one instance', 'two instances'] as const) {
        spread(setup);
        const window = await measure(setup, instances, metricsUrls, next);
        windows.push(window);
        const latencies = [...window.run.latencies].sort((a, b) => a - b);
        say(
          `round ${round + 1}, ${setup}: ${window.run.ok} ok, p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
            `p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${window.run.errors}, dropped ${window.run.dropped}` +
            (window.run.firstError === null ? '' : ` (first error: ${window.run.firstError})`),
        );
      }
    }
    const header = [
      'set-up',
      'served',
      'p50 / p99 ms',
      'errors + dropped',
      'instances CPU ms/req (A + B)',
      'PostgreSQL ms/req',
      'Redis ms/req',
      'shared answers found on A',
      'on B',
    ];
    say('');
    say(`| ${header.join(' | ')} |`);
    say(`| ${header.map(() => '---').join(' | ')} |`);
    for (const setup of ['one instance', 'two instances'] as const)
      say(`| ${summary(setup, windows).join(' | ')} |`);
    say(`load average at the end ${loadavg()[0].toFixed(2)}`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

runMain(main);
