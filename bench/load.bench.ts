/**
 * Load and soak benchmark (docs/performance.md, "Server: mixed load and soak"): the highest
 * rate of a mixed member workload — 80 % feed and thread reads, 15 % comments and votes, 5 %
 * new threads (bench/load-workload.ts) — that the server answers with p99 < 250 ms and no
 * error, then a soak at that rate recording p50/p99, errors and the server's memory growth.
 *
 *   npm run bench:load [-- --step-seconds 8 --soak-seconds 60 --members 20 --threads 200]
 *   npm run bench:load -- --past-rate 500   (only the past-capacity comparison, at that rate)
 *   npm run bench:load -- --at-rate 200 [--only feed|thread|comment|vote|post]
 *       (only one run at that rate, of the mix or of one kind of request: latency and the
 *       server's CPU per request, to compare builds and kinds; the set-up's identity effects
 *       are delivered before the run, on a server that holds none, and the run is measured on
 *       the same folder restarted with the default window, or with --mix-window when given)
 *   npm run bench:load -- … --mix-window 10 (identity effects' mixed batches every 10 s, not 300 s)
 *   npm run bench:load -- --soak-rate 300 --soak-seconds 300
 *       (only the soak, at that rate: memory sampled each second, to see whether it levels off)
 *
 * One server (child process, SQLite, its own folder) set up through the API; the load is sent
 * open-loop from this process over loopback keep-alive connections. Rates are stepped up by
 * 25 % from 50 requests/s until a step misses the target twice in a row; the soak runs at the
 * last rate that held. Bounded: every step is time-limited, and a watchdog stops the run after 10 minutes.
 *
 * Then past capacity: an open loop at twice the held rate for one step, first with load
 * shedding off (the server above runs with LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS=0, so the steps
 * and the soak measure capacity, not shedding), then once more after restarting the server on
 * the same folder with shedding at its default: the share shed and p50/p99 of the requests
 * served and of the 503s. Each of these two runs starts on 512 open keep-alive connections, as
 * traffic through a proxy does (`warmConnections`).
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuMs, percentile, stopChild, runMain, clampedInt, startServer } from './bench-http';
import type { ChildProcess } from 'node:child_process';
import { startBenchForum } from './bench-forum';
import {
  type LoadWorld,
  type RequestKind,
  openLoop,
  type OpenLoopResult,
  warmConnections,
  seedThreads,
  workload,
} from './load-workload';
import { SmtpPeer } from './smtp-peer';
import { METRICS_TOKEN, outboxDrained, scrape, sharedAnswers } from './server-metrics';

const { values } = parseArgs({
  options: {
    'step-seconds': { type: 'string', default: '8' },
    'soak-seconds': { type: 'string', default: '60' },
    members: { type: 'string', default: '20' },
    threads: { type: 'string', default: '200' },
    'past-rate': { type: 'string' },
    'at-rate': { type: 'string' },
    only: { type: 'string' },
    'mix-window': { type: 'string' },
    'soak-rate': { type: 'string' },
  },
});
const STEP_SECONDS = clampedInt(values['step-seconds'], 2, 30);
const SOAK_SECONDS = clampedInt(values['soak-seconds'], 5, 600);
const MEMBERS = clampedInt(values.members, 2, 200);
const THREADS = clampedInt(values.threads, 10, 5_000);
/** Given: skip the steps and the soak, and compare shedding off and on at this rate. */
const PAST_RATE =
  values['past-rate'] === undefined ? null : clampedInt(values['past-rate'], 10, 20_000);
/** Given: skip everything else, run once at this rate and report the server's CPU per request. */
const AT_RATE = values['at-rate'] === undefined ? null : clampedInt(values['at-rate'], 10, 20_000);
/** Given: skip the steps and the past-capacity runs, and soak at this rate. */
const SOAK_RATE =
  values['soak-rate'] === undefined ? null : clampedInt(values['soak-rate'], 10, 20_000);
const KINDS: readonly RequestKind[] = ['feed', 'thread', 'comment', 'vote', 'post'];
const ONLY = values.only as RequestKind | undefined;
if (ONLY !== undefined && !KINDS.includes(ONLY))
  throw new Error(`--only: one of ${KINDS.join(', ')}`);
/**
 * Given (--mix-window): identity effects (comments' notifications among them) go out in mixed
 * batches this often instead of every 300 s, so that a short run meets several.
 */
const mixWindow: Record<string, string> =
  values['mix-window'] === undefined
    ? {}
    : { IDENTITY_MIX_WINDOW_SECONDS: String(clampedInt(values['mix-window'], 0, 3600)) };
const P99_TARGET_MS = 250;
/** The open loop's cap on requests in flight (its default), and the connections opened before a past-capacity run. */
const IN_FLIGHT_CAP = 512;
const START_RATE = 50;
const MAX_RATE = 5_000;
const RUN_LIMIT_MS = 10 * 60_000 + SOAK_SECONDS * 1000;

/** Resident memory of a process in MiB, from /proc (Linux); null elsewhere. */
function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line === undefined ? null : Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return null;
  }
}

/** Settings of the server that sets up a run at one rate: identity effects are not held. */
const SET_UP_UNMIXED: Readonly<Record<string, string>> = {
  IDENTITY_MIX_WINDOW_SECONDS: '0',
  IDENTITY_MIX_MIN_BATCH: '1',
};

/** The server's V8 heap in use, in MiB, from its `/metrics`; null when it cannot be read. */
async function heapUsedMiB(url: string): Promise<number | null> {
  try {
    const match = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(await scrape(url));
    return match?.[1] === undefined ? null : Number(match[1]) / 2 ** 20;
  } catch {
    return null;
  }
}

/** Memory over a soak, in tenths of it: RSS at each tenth's end, and the heap's low point in it. */
interface MemorySeries {
  rssMiB: Array<number | null>;
  /** The lowest heap in use sampled in each tenth: what survived collection, not garbage awaiting it. */
  heapLowMiB: Array<number | null>;
}

/**
 * Samples the server's memory each second while `running` is pending. The heap's low point per
 * tenth tells growth apart from garbage (a sample at one instant may fall before or after a
 * collection); RSS also holds SQLite's page cache and what V8 keeps reserved.
 */
async function sampleMemory(
  pid: number | undefined,
  metricsUrl: string,
  seconds: number,
  running: Promise<unknown>,
): Promise<MemorySeries> {
  const slices = 10;
  const series: MemorySeries = {
    rssMiB: new Array<number | null>(slices).fill(null),
    heapLowMiB: new Array<number | null>(slices).fill(null),
  };
  const started = performance.now();
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    const tenth = Math.min(
      slices - 1,
      Math.floor(((performance.now() - started) / 1000 / seconds) * slices),
    );
    series.rssMiB[tenth] = rssMiB(pid);
    const heap = await heapUsedMiB(metricsUrl);
    const low = series.heapLowMiB[tenth];
    if (heap !== null && (low === null || heap < low)) series.heapLowMiB[tenth] = heap;
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  return series;
}

/** `a → b → …` of a series, and the change over its second half. */
function describeSeries(values: Array<number | null>): string {
  const shown = values.map((v) => (v === null ? '?' : v.toFixed(0))).join(' → ');
  const half = values[Math.floor(values.length / 2) - 1];
  const last = values.at(-1);
  if (half === null || half === undefined || last === null || last === undefined) return shown;
  const change = last - half;
  return `${shown} (second half ${change >= 0 ? '+' : ''}${change.toFixed(0)} MiB)`;
}

const summary = (r: OpenLoopResult) => ({
  rate: r.rate,
  sent: r.sent,
  ok: r.ok,
  errors: r.errors,
  dropped: r.dropped,
  p50: Number(percentile(r.latencies, 50).toFixed(1)),
  p99: Number(percentile(r.latencies, 99).toFixed(1)),
  max: Number((r.latencies.at(-1) ?? NaN).toFixed(1)),
});
const describe = (r: OpenLoopResult) => {
  const s = summary(r);
  return `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms, errors ${s.errors}, dropped ${s.dropped}`;
};
const pastSummary = (r: OpenLoopResult) => ({
  ...summary(r),
  shed: r.shed,
  shedShare: Number((r.shed / Math.max(1, r.sent)).toFixed(3)),
  shedP50: Number(percentile(r.shedLatencies, 50).toFixed(1)),
  shedP99: Number(percentile(r.shedLatencies, 99).toFixed(1)),
});
const describePast = (r: OpenLoopResult) => {
  const s = pastSummary(r);
  return (
    `${r.sent} sent, served p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms; ` +
    `shed ${(s.shedShare * 100).toFixed(1)} % (503 p50 ${s.shedP50} ms, p99 ${s.shedP99} ms); ` +
    `errors ${s.errors}, dropped ${s.dropped}; served p99 by kind: ` +
    Object.entries(r.latenciesByKind)
      .map(
        ([kind, l]) =>
          `${kind} ${percentile(
            [...l].sort((a, b) => a - b),
            99,
          )}`,
      )
      .join(', ')
  );
};
const holds = (r: OpenLoopResult) =>
  r.errors === 0 && r.dropped === 0 && percentile(r.latencies, 99) < P99_TARGET_MS;

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const smtp = new SmtpPeer();
  let forum: Awaited<ReturnType<typeof startBenchForum>> | undefined;
  /** The server restarted on the same folder (past capacity, a run at one rate), if any. */
  let restarted: ChildProcess | undefined;
  const cleanUp = async () => {
    forum?.clients.forEach((client) => client.close());
    await stopChild(forum?.server);
    await stopChild(restarted);
    await smtp.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    process.stderr.write('load bench: run limit reached, stopping\n');
    void cleanUp().finally(() => process.exit(2));
  }, RUN_LIMIT_MS);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`load bench: Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
  try {
    await smtp.start();
    const setUpStarted = performance.now();
    // Posting and voting budgets are lifted too (the load is one test address).
    forum = await startBenchForum(folder, smtp, {
      POST_RATE_LIMIT_MAX: '100000000',
      VOTE_RATE_LIMIT_MAX: '100000000',
      REPORT_RATE_LIMIT_MAX: '100000000',
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      // The soak reads the server's heap from /metrics.
      METRICS_TOKEN,
      ...mixWindow,
      // A run at one rate is measured on a server restarted after the set-up: this one holds
      // no effect, so that the set-up's (600 comments' notices) are delivered before the run
      // instead of at the next 5-minute mark of the clock, inside some runs and not others.
      ...(AT_RATE === null ? {} : SET_UP_UNMIXED),
    });
    const world: LoadWorld = {
      boardSlug: 'general',
      boardId: forum.boardId,
      threadIds: [],
      members: [],
      authors: new Map(),
    };
    for (let i = 0; i < MEMBERS; i++)
      world.members.push({ client: await forum.member(`member${i}`) });
    await seedThreads(world, THREADS);
    say(
      `set up ${MEMBERS} verified members and ${THREADS} threads (3 comments each) through the API in ` +
        `${((performance.now() - setUpStarted) / 1000).toFixed(1)} s`,
    );
    const next = workload(world, 42, ONLY);
    /** Stops the server and starts it again on the same folder with `env`. */
    const restart = async (env: Record<string, string>) => {
      if (forum === undefined) throw new Error('no forum');
      await stopChild(forum.server);
      restarted = await startServer(env);
      return restarted;
    };
    await openLoop(START_RATE, 3, next); // warm-up
    const pastCapacity = async (pastRate: number) => {
      say('');
      await warmConnections(world, IN_FLIGHT_CAP);
      const off = await openLoop(pastRate, STEP_SECONDS, next);
      say(`past capacity ${pastRate}/s, shedding off: ${describePast(off)}`);
      if (forum === undefined) throw new Error('no forum');
      const { LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: _off, ...defaults } = forum.env;
      await restart(defaults);
      await openLoop(START_RATE, 3, next); // warm-up
      await warmConnections(world, IN_FLIGHT_CAP);
      const on = await openLoop(pastRate, STEP_SECONDS, next);
      say(`past capacity ${pastRate}/s, shedding on (default limits): ${describePast(on)}`);
      return { off, on };
    };

    // 1. Step the rate up until it no longer holds.
    const steps: OpenLoopResult[] = [];
    let best: OpenLoopResult | null = null;
    if (PAST_RATE !== null) {
      await pastCapacity(PAST_RATE);
      return;
    }
    if (AT_RATE !== null) {
      await outboxDrained(forum.url.replace(/\/graphql$/, '/metrics'));
      const measured = Object.fromEntries(
        Object.entries(forum.env).filter(([name]) => !(name in SET_UP_UNMIXED)),
      );
      const { pid } = await restart({ ...measured, ...mixWindow });
      await openLoop(AT_RATE, 5, next); // warm-up of the restarted server, at the run's rate
      const metricsUrl = forum.url.replace(/\/graphql$/, '/metrics');
      const sharedBefore = await sharedAnswers(metricsUrl);
      const cpuBefore = cpuMs(pid);
      const run = await openLoop(AT_RATE, STEP_SECONDS, next);
      const cpuAfter = cpuMs(pid);
      const shared = await sharedAnswers(metricsUrl);
      const perRequest =
        cpuBefore === null || cpuAfter === null
          ? '?'
          : ((cpuAfter - cpuBefore) / run.sent).toFixed(2);
      const hits = shared.hits - sharedBefore.hits;
      const looked = hits + shared.misses - sharedBefore.misses;
      say(
        `at ${AT_RATE}/s${ONLY === undefined ? '' : ` (${ONLY} only)`} for ${STEP_SECONDS} s: ${describe(run)}; server CPU ${perRequest} ms per request; ` +
          `members' shared answers ${hits} of ${looked} looked up`,
      );
      return;
    }
    for (
      let rate = START_RATE;
      SOAK_RATE === null && rate <= MAX_RATE;
      rate = Math.round(rate * 1.25)
    ) {
      // A step that misses is run once more: one noisy second on a shared machine is not the limit.
      let step = await openLoop(rate, STEP_SECONDS, next);
      if (!holds(step)) {
        steps.push(step);
        say(`step ${rate}/s: ${describe(step)}  ✗ (trying again)`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        step = await openLoop(rate, STEP_SECONDS, next);
      }
      steps.push(step);
      say(`step ${rate}/s: ${describe(step)}${holds(step) ? '' : '  ✗'}`);
      if (!holds(step)) break;
      best = step;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const soakRate = SOAK_RATE ?? best?.rate;
    if (soakRate === undefined) throw new Error(`even ${START_RATE} requests/s missed the target`);

    // 2. Soak at the best rate (or the one given), sampling the server's memory.
    const pid = forum.server.pid;
    const rssBefore = rssMiB(pid);
    const cpuBefore = cpuMs(pid);
    const soaking = openLoop(soakRate, SOAK_SECONDS, next);
    const metricsUrl = forum.url.replace(/\/graphql$/, '/metrics');
    const memory = await sampleMemory(pid, metricsUrl, SOAK_SECONDS, soaking);
    const soak = await soaking;
    const cpuAfter = cpuMs(pid);
    const rssAfter = rssMiB(pid);
    const s = summary(soak);
    const growth = rssBefore === null || rssAfter === null ? null : rssAfter - rssBefore;
    say('');
    say(
      `soak ${soakRate} requests/s for ${SOAK_SECONDS} s: ${soak.sent} sent (feed ${soak.byKind.feed}, thread ${soak.byKind.thread}, ` +
        `comment ${soak.byKind.comment}, vote ${soak.byKind.vote}, new thread ${soak.byKind.post}), ` +
        `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms, errors ${s.errors}, dropped ${s.dropped}`,
    );
    say(
      `server memory (RSS) ${rssBefore?.toFixed(0) ?? '?'} → ${rssAfter?.toFixed(0) ?? '?'} MiB` +
        `${growth === null ? '' : ` (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB)`}; server CPU ` +
        `${cpuBefore === null || cpuAfter === null ? '?' : ((cpuAfter - cpuBefore) / 1000 / SOAK_SECONDS).toFixed(2)} cores`,
    );
    say(`server RSS by tenth of the soak, MiB: ${describeSeries(memory.rssMiB)}`);
    say(`server heap in use, lowest in each tenth, MiB: ${describeSeries(memory.heapLowMiB)}`);
    if (soak.firstError !== null) say(`first error: ${soak.firstError}`);
    if (SOAK_RATE !== null) {
      if (soak.errors > 0) process.exitCode = 1;
      return;
    }

    // 3. Past capacity: twice the held rate, shedding off, then on (same folder, restarted).
    const pastRate = soakRate * 2;
    const { off, on } = await pastCapacity(pastRate);
    say(
      JSON.stringify({
        node: process.version,
        members: MEMBERS,
        seedThreads: THREADS,
        p99TargetMs: P99_TARGET_MS,
        steps: steps.map(summary),
        soak: {
          ...s,
          seconds: SOAK_SECONDS,
          byKind: soak.byKind,
          rssMiB: { before: rssBefore, after: rssAfter },
          memoryByTenth: memory,
          serverCores:
            cpuBefore === null || cpuAfter === null
              ? null
              : Number(((cpuAfter - cpuBefore) / 1000 / SOAK_SECONDS).toFixed(2)),
          pass: holds(soak),
        },
        pastCapacity: { rate: pastRate, off: pastSummary(off), on: pastSummary(on) },
      }),
    );
    if (soak.errors > 0) process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

runMain(main);
