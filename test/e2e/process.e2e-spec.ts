import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditTrail, OPERATOR_ACTOR } from '../../src/audit/audit-trail.service';
import { PseudonymService } from '../../src/identity/pseudonyms/pseudonym.service';
import { AppConfig } from '../../src/infrastructure/config/app-config';
import { keyRingFor } from '../../src/infrastructure/crypto/key-ring';
import { MIGRATIONS } from '../../src/infrastructure/database/migrations';
import { storeOptions } from '../../src/store-entities';
import { STORES } from '../../src/infrastructure/database/stores';
import { createTestStores, type TestStores } from '../utils/test-env';
import { HANG_MS } from '../utils/wait';

/**
 * The built server and CLI as separate processes, the way `npm start` and an operator run
 * them (needs `npm run build`, which `npm test` does first).
 */
const MAIN = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');

function baseEnv(stores: TestStores, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { APP_SECRET: _secret, NODE_ENV: _env, LOG_LEVEL: _level, ...storeEnv } = stores.env;
  return { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...storeEnv, ...extra };
}

function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], { env, cwd: PROJECT_ROOT });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (): void => {
      const match = /GraphQL ready at (http:\/\/[^\s/]+)\/graphql/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${String(code)}:\n${output}`)),
    );
  });
}

const byTimestamp = (a: string, b: string): number =>
  Number(/\d+$/.exec(a)?.[0]) - Number(/\d+$/.exec(b)?.[0]);

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('The server process', () => {
  let stores: TestStores;

  beforeEach(() => {
    stores = createTestStores();
  });
  afterEach(async () => stores.dispose());

  it('starts with no configuration beyond defaults, serves GraphQL, and stops cleanly on SIGTERM', async () => {
    const { child, url, output } = await startServer(baseEnv(stores));
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query WhoAmI { __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output()).toMatch(/Shutdown complete/);
    // Log lines are JSON, and carry no client address or headers.
    const lines = output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    // Each migration applied at start-up is one line: its store, name and duration.
    const migrations = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'migration applied');
    for (const store of STORES) {
      // (TypeORM applies them in the order of their timestamps.)
      expect(
        migrations.filter((entry) => entry.store === store).map((e) => String(e.migration)),
      ).toEqual(MIGRATIONS[store].map((migration) => migration.name).sort(byTimestamp));
    }
    for (const entry of migrations) expect(entry.ms).toEqual(expect.any(Number));
    // The request's line names its GraphQL operation.
    const request = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'request completed');
    expect(request).toMatchObject({
      req: { method: 'POST', path: '/graphql' },
      graphql: { operation: 'WhoAmI', type: 'query' },
      res: { statusCode: 200 },
    });
    expect(output()).not.toMatch(/remoteAddress|127\.0\.0\.1:\d+"?,"?\s*"?remote|content-type/i);
  });

  it('refuses to start on a malformed variable, naming it', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: baseEnv(stores, { PORT: 'eighty', GRAPHQL_MAX_DEPTH: '1000' }),
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/PORT must be an integer number \(got "eighty"\)/);
    expect(result.stderr).toMatch(/GRAPHQL_MAX_DEPTH must not be greater than 100/);
  });

  it('refuses to start in production without a real secret', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: baseEnv(stores, { NODE_ENV: 'production' }),
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/APP_SECRET is required in production/);
  });

  it('applies migrations from the command line, once', () => {
    const run = () =>
      spawnSync(process.execPath, [CLI, 'migrate'], {
        env: baseEnv(stores),
        encoding: 'utf8',
        timeout: HANG_MS * 4,
      });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/identity: applied IdentityStoreInfo\d+ in \d+ ms/);
    expect(first.stdout).toMatch(/content: applied ContentStoreInfo\d+/);
    const second = run();
    expect(second.stdout).toBe('identity: up to date\ncontent: up to date\n');
  });

  it('checks the audit chains from the command line, and fails on an altered entry', async () => {
    const verify = () =>
      spawnSync(process.execPath, [CLI, 'verify-audit'], {
        env: baseEnv(stores),
        encoding: 'utf8',
        timeout: HANG_MS * 4,
      });
    const empty = verify();
    expect(empty.stdout).toMatch(/^Audit chains intact: 0 entries/);
    expect(empty.status).toBe(0);

    // Two entries, as an operator's grant-role writes them; then one is altered in the store.
    const config = AppConfig.fromEnv(stores.env);
    const identity = new DataSource(storeOptions(config, 'identity'));
    await identity.initialize();
    try {
      const trail = new AuditTrail(new PseudonymService(keyRingFor(config)));
      const entries = await identity.transaction(async (manager) => [
        await trail.record(manager, {
          actor: OPERATOR_ACTOR,
          action: 'role.grant',
          subject: 'staff:mod-test',
          detail: { role: 'MODERATOR', before: false, after: true },
        }),
        await trail.record(manager, {
          actor: OPERATOR_ACTOR,
          action: 'role.revoke',
          subject: 'staff:mod-test',
          detail: { role: 'MODERATOR', before: true, after: false },
        }),
      ]);
      const intact = verify();
      expect(intact.stdout).toMatch(/^Audit chains intact: 2 entries \(identity at 2, content at/);
      expect(intact.status).toBe(0);

      await identity
        .getRepository(AuditEventEntity)
        .update({ id: entries[0].id }, { detail: '{"role":"ADMIN","before":false,"after":true}' });
      const broken = verify();
      expect(broken.stdout).toContain(`Audit chain broken at entry ${entries[0].id}`);
      expect(broken.status).toBe(65);
    } finally {
      await identity.destroy();
    }
  });

  it('explains its commands and refuses unknown ones', () => {
    const result = spawnSync(process.execPath, [CLI, 'frobnicate'], {
      env: baseEnv(stores),
      encoding: 'utf8',
    });
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/Unknown command "frobnicate"/);
    expect(result.stderr).toMatch(/migrate/);
  });
});
