import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root';

/**
 * The built server (`dist/src/main.js`, made by `npm run build`, which `npm test` runs first)
 * as a child process, the way `npm start` runs it: for tests that kill it, signal it or
 * restart it on the same data (test/e2e/process.e2e-spec.ts starts it the same way).
 * `SERVER_MAIN` points the tests at another build of main.js.
 */
export const MAIN = process.env.SERVER_MAIN ?? join(PROJECT_ROOT, 'dist', 'src', 'main.js');

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
}

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The environment for the child: the stores' variables (SQLite folder or PostgreSQL schemas),
 * the same APP_SECRET on every start (sessions and handles survive a restart), port 0.
 */
export function serverEnv(
  storeEnv: Record<string, string>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  // Info level: the "GraphQL ready at" and "Shutdown complete" lines are what tests wait for.
  return { PATH: process.env.PATH, ...storeEnv, PORT: '0', LOG_LEVEL: 'info', ...extra };
}

/** Starts dist/src/main.js (with `args`) and resolves once it logs "GraphQL ready at …". */
export function startServer(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
  args: readonly string[] = [],
): Promise<ServerProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [MAIN, ...args], { env, cwd: PROJECT_ROOT });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = /GraphQL ready at (http:\/\/[^\s/]+)\/graphql/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({
          child,
          url: match[1].replace('[::1]', '127.0.0.1'),
          output: () => output,
          exited,
        });
      }
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code ?? signal)}:\n${output}`));
    });
  });
}

/** Stops the process if it still runs (SIGKILL) and waits for it to be gone. */
export async function killServer(server: ServerProcess | undefined): Promise<void> {
  if (server === undefined) return;
  if (server.child.exitCode === null && server.child.signalCode === null)
    server.child.kill('SIGKILL');
  await server.exited;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body. */
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

export interface Sent<T> {
  /** When the request was completely written to the socket (performance.now()). */
  sentAt: number | undefined;
  /** Resolves once the request is completely written to the socket. */
  written: Promise<void>;
  /** Whether the request went onto an open keep-alive connection (not a new one). */
  reusedSocket: boolean | undefined;
  answer: Promise<T>;
}

/**
 * POSTs a GraphQL operation with node:http so the test knows when the request was completely
 * written to the socket (`sentAt`), not just when it was queued: what "sent before the signal"
 * means in the shutdown tests. The answer rejects on a connection error or a body that is not
 * complete JSON.
 */
export function postGraphql(
  url: string,
  agent: Agent,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Sent<RawAnswer> {
  const payload = Buffer.from(JSON.stringify({ query, variables }));
  let written: () => void = () => undefined;
  const sent: Sent<RawAnswer> = {
    sentAt: undefined,
    reusedSocket: undefined,
    written: new Promise<void>((resolve) => (written = resolve)),
    answer: undefined as never,
  };
  sent.answer = new Promise<RawAnswer>((resolve, reject) => {
    const req = httpRequest(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(payload.length),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          if (!res.complete) {
            reject(new Error('response cut short'));
            return;
          }
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as RawAnswer['body'],
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', reject);
    req.on('socket', () => (sent.reusedSocket = req.reusedSocket));
    req.on('finish', () => {
      sent.sentAt = performance.now();
      written();
    });
    req.end(payload);
  });
  return sent;
}

/** A keep-alive agent with at most `sockets` connections (closed by `agent.destroy()`). */
export const keepAliveAgent = (sockets: number): Agent =>
  new Agent({ keepAlive: true, maxSockets: sockets });
