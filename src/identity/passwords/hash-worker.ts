import { type ChildProcess, spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { Logger } from '@nestjs/common';
import { PROJECT_ROOT } from '../../common/project-root';

/**
 * The child's program: argon2 hash/verify on request over IPC. Kept as source text so the
 * same code runs from the build and under the test runner without a separate build step.
 */
const WORKER_SOURCE = `
const argon2 = require('argon2');
let secrets = [];
process.on('message', (m) => {
  if (m.type === 'init') { secrets = m.secrets.map((s) => Buffer.from(s, 'base64')); return; }
  const work = m.op === 'hash'
    ? argon2.hash(m.password, Object.assign({}, m.options, { secret: secrets[0] }))
    : (async () => {
        // The index of the pepper that matches (0: current, 1: previous during a rotation), or -1.
        for (let i = 0; i < secrets.length; i++) {
          if (await argon2.verify(m.hash, m.password, { secret: secrets[i] })) return i;
        }
        return -1;
      })();
  work.then(
    (result) => process.send({ id: m.id, result }),
    (error) => process.send({ id: m.id, error: String((error && error.message) || error) }),
  );
});
process.on('disconnect', () => process.exit(0));
`;

type Request =
  | { op: 'hash'; password: string; options: Record<string, number> }
  | { op: 'verify'; hash: string; password: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A child process that does the argon2 work at a lower CPU priority than the server. On a
 * small machine a sign-in flood then takes only the CPU that request handling leaves over:
 * reads keep their speed, and sign-ins slow down and queue (and past the queue get
 * RATE_LIMITED) instead. The pepper reaches the child over IPC, never through its arguments
 * or environment. The child is started on first use and restarted if it dies.
 */
export class HashWorker {
  private readonly logger = new Logger(HashWorker.name);
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /**
   * @param secrets the current pepper, then the previous one during a key rotation
   * @param niceness the child's CPU niceness (PASSWORD_HASH_NICENESS; 19, the lowest
   *   priority, by default): request handling comes first
   */
  constructor(
    private readonly secrets: readonly Buffer[],
    private readonly niceness: number,
  ) {}

  hash(password: string, options: Record<string, number>): Promise<string> {
    return this.send({ op: 'hash', password, options }) as Promise<string>;
  }

  /** The index of the pepper the hash was made with (0 current, 1 previous), or -1: no match. */
  verify(hash: string, password: string): Promise<number> {
    return this.send({ op: 'verify', hash, password }) as Promise<number>;
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
  }

  private send(request: Request): Promise<unknown> {
    const child = this.ensureChild();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, ...request });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child !== undefined) return this.child;
    const child = spawn(process.execPath, ['-e', WORKER_SOURCE], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: '4' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      if (child.pid !== undefined && this.niceness !== 0) setPriority(child.pid, this.niceness);
    } catch {
      // Not permitted on this platform: hashing still works, at normal priority.
    }
    child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined)
        waiting.reject(new Error(`Password hashing failed: ${message.error}`));
      else waiting.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.pending.size > 0) {
        this.logger.error({ msg: 'The password hashing process exited', code, signal });
        for (const waiting of this.pending.values())
          waiting.reject(new Error('The password hashing process exited'));
        this.pending.clear();
      }
    });
    child.send({ type: 'init', secrets: this.secrets.map((secret) => secret.toString('base64')) });
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.child = child;
    return child;
  }
}
