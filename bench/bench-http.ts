/**
 * Processes and HTTP for the benchmarks (bench/*.bench.ts): the real server and a bare Apollo
 * Server as child processes on loopback, a light keep-alive GraphQL client (node:http,
 * as in bench/identity.bench.ts) and a closed-loop load driver. Everything is bounded in time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
 */
export async function startServer(env: Record<string, string>): Promise<ChildProcess> {
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
 * ok requests per second.
 */
export async function drive(
  seconds: number,
  workers: number,
  request: () => Promise<Answer>,
): Promise<{ ok: number; failed: number; perSecond: number }> {
  const started = Date.now();
  const until = started + seconds * 1000;
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const answer = await request();
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
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the stat line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
