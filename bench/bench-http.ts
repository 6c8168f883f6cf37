/**
 * Processes and HTTP for the benchmarks (bench/*.bench.ts): the real server and a bare Apollo
 * Server as child processes on loopback, a light keep-alive GraphQL client (node:http,
 * as in bench/identity.bench.ts) and a closed-loop load driver. Everything is bounded in time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/common/project-root';

/** A free loopback port, for a server whose log level is too low to print the one it took. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Rejects when the child exits first or `ms` pass; the child is then killed. */
async function bounded<T>(
  child: ChildProcess,
  ms: number,
  what: string,
  work: Promise<T>,
): Promise<T> {
  try {
    return await readyWithin(child, ms, what, work);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function readyWithin<T>(
  child: ChildProcess,
  ms: number,
  what: string,
  work: Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not ready after ${ms} ms`)), ms);
    const exited = (code: number | null) =>
      reject(new Error(`${what} exited with ${String(code)} before it was ready`));
    child.once('exit', exited);
    work.then(
      (value) => {
        clearTimeout(timer);
        child.off('exit', exited);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Starts `dist/src/main.js` with `env` (which must name PORT) and waits until
 * `/health/ready` answers 200 (at most 60 s). Its own output goes to this process's stderr.
 * `onSpawn` gets the child before it is ready, so that a caller starting several servers at
 * once can still stop one that is slow to start when another fails or a watchdog fires.
 */
export async function startServer(
  env: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void,
): Promise<ChildProcess> {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(
    process.execPath,
    [...nodeArgs, join(PROJECT_ROOT, 'dist', 'src', 'main.js')],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  onSpawn?.(server);
  const ready = async () => {
    const poll = () =>
      new Promise<number>((resolve) => {
        const req = http.get(`http://127.0.0.1:${env.PORT}/health/ready`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(0));
      });
    while ((await poll()) !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  await bounded(server, 60_000, 'server', ready());
  return server;
}

/**
 * A bare Apollo Server 5 on Express 5 (the integration the Nest driver uses): `type Query
 * { hello: String }` answering "world", nothing else (no plugins, no guards, no logging).
 * Run from source text with the project root as working directory, like the password hash
 * worker, so it resolves the project's own node_modules.
 */
const HELLO_SOURCE = `
const express = require('express');
const { ApolloServer } = require('@apollo/server');
const { expressMiddleware } = require('@as-integrations/express5');
(async () => {
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const listener = app.listen(0, '127.0.0.1', () => {
    process.stdout.write('HELLO READY ' + listener.address().port + '\\n');
  });
  const stop = () => { listener.close(); apollo.stop().finally(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
})();
`;

export async function startHello(env: Record<string, string>): Promise<{
  child: ChildProcess;
  url: string;
}> {
  const child = spawn(process.execPath, ['-e', HELLO_SOURCE], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await bounded(
    child,
    30_000,
    'hello server',
    new Promise<string>((resolve) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /HELLO READY (\d+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    }),
  );
  child.stdout?.resume();
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Answer {
  status: number;
  text: string;
  ms: number;
}

/**
 * POSTs GraphQL requests to one URL over a keep-alive agent: node:http is a much lighter
 * client than fetch, so the load generator takes less CPU from the server it measures.
 */
export class GraphqlClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly target: URL;

  constructor(
    url: string,
    /** Sent with every request, e.g. `{ authorization: 'Bearer …' }`. */
    private readonly headers: Record<string, string> = {},
  ) {
    this.target = new URL(url);
  }

  post(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const body = JSON.stringify(variables === undefined ? { query } : { query, variables });
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          method: 'POST',
          timeout: 30_000,
          headers: {
            ...this.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString(),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A request whose answer must be a 200 without `errors`; returns its `data`. */
  async data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const answer = await this.post(query, variables);
    const parsed = JSON.parse(answer.text) as { data?: T; errors?: unknown };
    if (answer.status !== 200 || parsed.errors !== undefined || parsed.data === undefined) {
      throw new Error(`unexpected answer ${answer.status}: ${answer.text.slice(0, 500)}`);
    }
    return parsed.data;
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * `workers` closed-loop clients sending `request` for `seconds` (each sends the next request
 * when the previous answer has arrived). Counts 200 answers without errors as ok; returns
 * ok requests per second. `request` gets the client's number (0 … workers − 1), e.g. to
 * keep each client on one server as a connection-balancing load balancer would.
 */
export async function drive(
  seconds: number,
  workers: number,
  request: (worker: number) => Promise<Answer>,
): Promise<{ ok: number; failed: number; perSecond: number }> {
  const started = Date.now();
  const until = started + seconds * 1000;
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (Date.now() < until) {
        const answer = await request(worker);
        if (answer.status === 200 && !answer.text.includes('"errors"')) ok += 1;
        else failed += 1;
      }
    }),
  );
  return { ok, failed, perSecond: ok / ((Date.now() - started) / 1000) };
}

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** CPU time (ms) a process has used so far, from /proc (Linux); null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return procStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMs;
  } catch {
    return null;
  }
}

/** The command name, parent and CPU time (ms) of a /proc/<pid>/stat line. */
function procStat(line: string): ProcessCpu {
  // The name is in parentheses and may itself contain spaces or parentheses.
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' ');
  // After the name: state, ppid, …; utime and stime are fields 14 and 15 of the line, in
  // clock ticks (100 per second).
  return {
    comm: line.slice(line.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
  };
}

export interface ProcessCpu {
  comm: string;
  ppid: number;
  cpuMs: number;
}

/**
 * CPU time (ms) used so far by every process of the machine, by pid: a server made of
 * several processes (PostgreSQL's backends) or a process not started here (Redis) is
 * measured by comparing two snapshots with `cpuMsDelta`. Empty where /proc is missing.
 */
export function processCpu(): Map<number, ProcessCpu> {
  const found = new Map<number, ProcessCpu>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      found.set(Number(pid), procStat(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/**
 * CPU ms used between two `processCpu` snapshots by the processes `include` accepts. A
 * process started in between counts in full (it did all its work in the interval); one that
 * ended in between is lost, which is why pooled, long-lived connections measure well and
 * short-lived processes do not.
 */
export function cpuMsDelta(
  before: ReadonlyMap<number, ProcessCpu>,
  after: ReadonlyMap<number, ProcessCpu>,
  include: (pid: number, process: ProcessCpu) => boolean,
): number {
  let total = 0;
  for (const [pid, process] of after) {
    if (include(pid, process)) total += process.cpuMs - (before.get(pid)?.cpuMs ?? 0);
  }
  return total;
}

/**
 * CPU time of the whole machine so far (all cores, ms), from /proc/stat: `busy` is all but
 * idle and I/O wait; of it, `interrupts` (hard and soft interrupts, e.g. loopback TCP) and
 * `steal` (a virtual machine's host running something else) belong to no process.
 */
export function machineCpuMs(): {
  busy: number;
  total: number;
  interrupts: number;
  steal: number;
} | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    return {
      busy: (total - ticks[3] - ticks[4]) * 10,
      total: total * 10,
      interrupts: (ticks[5] + ticks[6]) * 10,
      steal: ticks[7] * 10,
    };
  } catch {
    return null;
  }
}

/**
 * Time (µs) so far during which at least one runnable task waited for a core (Linux pressure
 * stall information, "some"); null where the kernel does not provide it. Over a window, a
 * large share says processes were queueing for CPU even if the cores were not 100 % busy.
 */
export function cpuPressureUs(): number | null {
  try {
    const some = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return some === null ? null : Number(some[1]);
  } catch {
    return null;
  }
}

/**
 * Local ports of the TCP connections a process has open (from its file descriptors and
 * /proc/net/tcp*), e.g. to tell which PostgreSQL backends serve it: a backend's
 * `pg_stat_activity.client_port` is the client's local port. Empty where /proc is missing.
 */
export function tcpLocalPorts(pid: number | undefined): Set<number> {
  const ports = new Set<number>();
  if (pid === undefined) return ports;
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (socket !== null) inodes.add(socket[1]);
      } catch {
        // The descriptor was closed between the listing and the read.
      }
    }
  } catch {
    return ports;
  }
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9])) {
        ports.add(parseInt(fields[1].split(':')[1], 16));
      }
    }
  }
  return ports;
}

/**
 * Context switches so far of a process's main thread (for Node, the event loop), from
 * /proc/<pid>/status: voluntary ones are mostly the loop blocking for lack of work (each is a
 * wake-up later), involuntary ones the scheduler taking the core away. Null elsewhere.
 */
export function contextSwitches(
  pid: number | undefined,
): { voluntary: number; involuntary: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return {
      voluntary: field('voluntary_ctxt_switches'),
      involuntary: field('nonvoluntary_ctxt_switches'),
    };
  } catch {
    return null;
  }
}

/** `--flag` value as an integer clamped to [min, max]. */
export const clampedInt = (value: string | undefined, min: number, max: number): number =>
  Math.min(max, Math.max(min, Math.floor(Number(value))));

/** Runs a benchmark's `main`; an error is printed with its stack and exits with 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
