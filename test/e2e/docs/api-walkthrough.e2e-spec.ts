import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import { DEMO_PASSWORD } from '../../../src/demo/demo-world';
import { killServer, type ServerProcess, serverEnv, startServer } from '../../utils/server-process';
import { createTestStores, type TestStores } from '../../utils/test-env';
import {
  HANG_MS,
  pollInterval,
  subscriptionCount,
  waitFor,
  waitForSubscriptions,
} from '../../utils/wait';

/**
 * Runs every operation of docs/api.md, in document order, against a freshly seeded demo
 * server, the way a newcomer following the guide would. The convention, explained at the
 * top of the guide: an HTML comment right before a fenced block says how to run it.
 *
 *   <!-- run as=<demo account | $VAR | visitor> capture=NAME:path,… expect=CODE reason=R -->
 *   <!-- run background env=A,B ready=<line> subscribed=<topic> output="<text>" -->   (a ```js snippet)
 *   <!-- skip="why it cannot run" -->
 *
 * A ```json block right after a ```graphql block holds its variables, where "{{NAME}}" is a
 * value captured earlier (a whole-string placeholder keeps the value's JSON type). ```sh
 * blocks run with bash in a folder holding `server.log` (the server's own output so far),
 * with localhost:3000 pointing at the test server and the captured values as shell
 * variables; variables a block assigns are captured in turn. Every ```graphql, ```sh and
 * ```js block needs a directive.
 */

const GUIDE = join(PROJECT_ROOT, 'docs', 'api.md');

interface Block {
  line: number;
  lang: string;
  code: string;
  /** The ```json block right after a ```graphql one. */
  variables?: string;
  directive?: { kind: 'run' | 'skip'; options: Map<string, string> };
}

const RUNNABLE = new Set(['graphql', 'sh', 'js']);

function parseGuide(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let pendingDirective: Block['directive'];
  let previous: Block | undefined;
  let textSincePrevious = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const comment = /^<!--\s*(run|skip)\b(.*?)-->\s*$/.exec(line);
    if (comment !== null) {
      const kind = comment[1] === 'skip' ? 'skip' : 'run';
      const options = new Map<string, string>();
      const text = kind === 'skip' ? `skip${comment[2] ?? ''}` : (comment[2] ?? '');
      for (const match of text.matchAll(/([\w-]+)(?:=("[^"]*"|\S+))?/g))
        options.set(match[1] ?? '', (match[2] ?? '').replace(/^"|"$/g, ''));
      pendingDirective = { kind, options };
      textSincePrevious = true;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence === null) {
      if (line.trim() !== '') textSincePrevious = true;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    const block: Block = {
      line: i + 1,
      lang: fence[1] ?? '',
      code: lines.slice(start, end).join('\n'),
      directive: pendingDirective,
    };
    i = end;
    pendingDirective = undefined;
    if (
      block.lang === 'json' &&
      previous?.lang === 'graphql' &&
      !textSincePrevious &&
      block.directive === undefined
    ) {
      previous.variables = block.code;
    } else {
      blocks.push(block);
    }
    previous = block;
    textSincePrevious = false;
  }
  return blocks;
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** `a.b.0.c` into an answer's data. */
function pick(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function substitute(value: unknown, vars: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    const known = (name: string): unknown => {
      if (!vars.has(name)) throw new Error(`{{${name}}} was not captured by an earlier block`);
      return vars.get(name);
    };
    if (whole !== null) return known(whole[1] ?? '');
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(known(name)));
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]),
    );
  return value;
}

/** Throws unless the answer is what the directive expects: data, or that error. */
function check(answer: Answer, options: Map<string, string>): void {
  const expected = options.get('expect');
  const error = answer.errors?.[0];
  if (expected === undefined) {
    if (error !== undefined) throw new Error(`unexpected errors: ${JSON.stringify(answer.errors)}`);
    if (answer.data === null || answer.data === undefined) throw new Error('no data');
    return;
  }
  if (error?.extensions?.code !== expected)
    throw new Error(`expected ${expected}, got ${JSON.stringify(answer)}`);
  const reason = options.get('reason');
  if (reason !== undefined && error.extensions.reason !== reason)
    throw new Error(`expected reason ${reason}, got ${JSON.stringify(error)}`);
}

function capture(answer: Answer, options: Map<string, string>, vars: Map<string, unknown>) {
  for (const spec of (options.get('capture') ?? '').split(',').filter(Boolean)) {
    const [name, path] = spec.split(':');
    const value = pick(answer.data, path ?? '');
    if (value === undefined || value === null)
      throw new Error(`capture ${spec}: nothing at that path in ${JSON.stringify(answer.data)}`);
    vars.set(name ?? '', value);
  }
}

const blocks = parseGuide(readFileSync(GUIDE, 'utf8'));

describe('docs/api.md, run against the demo world', () => {
  let stores: TestStores;
  let server: ServerProcess;
  let workDir: string;
  const vars = new Map<string, unknown>();
  const tokens = new Map<string, string>();
  let background: { child: ChildProcessWithoutNullStreams; output: () => string } | undefined;
  let awaitingOutput: string | undefined;

  beforeAll(async () => {
    stores = createTestStores();
    workDir = mkdtempSync(join(tmpdir(), 'wf-api-guide-'));
    // Info level: startServer waits for the "GraphQL ready" line; mail copies are warnings.
    server = await startServer(serverEnv(stores.env, { LOG_LEVEL: 'info' }), HANG_MS * 10, [
      '--demo',
    ]);
  }, 600_000);

  afterAll(async () => {
    background?.child.kill('SIGKILL');
    await killServer(server);
    await stores.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  const localize = (code: string): string =>
    code.replace(/\b(localhost|127\.0\.0\.1):3000\b/g, server.url.replace(/^http:\/\//, ''));

  async function tokenFor(as: string): Promise<string | undefined> {
    if (as === '' || as === 'visitor') return undefined;
    if (as.startsWith('$')) {
      const value = vars.get(as.slice(1));
      if (typeof value !== 'string') throw new Error(`${as} was not captured`);
      return value;
    }
    const cached = tokens.get(as);
    if (cached !== undefined) return cached;
    const answer = await post(
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
      { e: `${as}@demo.example.org`, p: DEMO_PASSWORD },
    );
    const token = pick(answer.data, 'signIn.token');
    if (typeof token !== 'string') throw new Error(`sign-in as ${as}: ${JSON.stringify(answer)}`);
    tokens.set(as, token);
    return token;
  }

  async function post(query: string, variables: unknown, token?: string): Promise<Answer> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  }

  async function runGraphql(block: Block, options: Map<string, string>): Promise<void> {
    const variables = substitute(
      block.variables === undefined ? {} : (JSON.parse(block.variables) as unknown),
      vars,
    );
    const answer = await post(block.code, variables, await tokenFor(options.get('as') ?? ''));
    check(answer, options);
    capture(answer, options, vars);
  }

  async function runShell(block: Block, options: Map<string, string>): Promise<void> {
    const assigned = [...block.code.matchAll(/^(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm)].map(
      (m) => m[1] ?? '',
    );
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: workDir };
    for (const [name, value] of vars) env[name] = String(value);
    const script =
      `${localize(block.code)}\n` +
      `printf '\\n#vars\\n'\n` +
      assigned.map((name) => `printf '%s=%s\\n' ${name} "$${name}"\n`).join('');
    // The code reaches the log just after the answer: look again, as a newcomer would.
    for (const deadline = Date.now() + HANG_MS; ;) {
      writeFileSync(join(workDir, 'server.log'), server.output());
      const result = spawnSync('bash', ['-c', script], {
        cwd: workDir,
        env,
        encoding: 'utf8',
        timeout: HANG_MS * 4,
      });
      if (result.status !== 0)
        throw new Error(`exit ${result.status}:\n${result.stdout}\n${result.stderr}`);
      const [printed = '', assignments = ''] = result.stdout.split('\n#vars\n');
      const values = new Map(
        assignments
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      // A value the log does not hold yet reads as empty, or as the one an earlier block read
      // (a second code to the same address): look again until the deadline.
      const empty = [...values].filter(
        ([name, value]) => value === '' || value === 'null' || vars.get(name) === value,
      );
      if (empty.length > 0 && Date.now() < deadline) {
        await pollInterval(250);
        continue;
      }
      const unset = empty.filter(([, value]) => value === '' || value === 'null');
      if (unset.length > 0) throw new Error(`left empty: ${unset.map(([name]) => name).join()}`);
      for (const [name, value] of values) vars.set(name, value);
      // What curl printed: every JSON answer, one per line or pretty.
      const trimmed = printed.trim();
      if (trimmed.startsWith('{')) {
        for (const answer of trimmed.split(/\n(?=\{)/).map((text) => JSON.parse(text) as Answer))
          check(answer, options);
      }
      return;
    }
  }

  async function startSnippet(block: Block, options: Map<string, string>): Promise<void> {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const name of (options.get('env') ?? '').split(',').filter(Boolean)) {
      if (!vars.has(name)) throw new Error(`${name} was not captured`);
      env[name] = String(vars.get(name));
    }
    const topic = options.get('subscribed');
    const before = topic === undefined ? 0 : await subscriptionCount(server.url, topic);
    // --input-type=module: imports resolve from the working directory, the project folder.
    const child = spawn(process.execPath, ['--input-type=module', '-e', localize(block.code)], {
      cwd: PROJECT_ROOT,
      env,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    background = { child, output: () => output };
    const ready = options.get('ready') ?? '';
    await waitFor(`the snippet to print ${ready}`, () => output.includes(ready));
    // The subscription reaches the server after the connection's acknowledgement.
    if (topic !== undefined) await waitForSubscriptions(server.url, topic, before + 1);
    awaitingOutput = options.get('output');
  }

  async function expectSnippetOutput(): Promise<void> {
    if (background === undefined || awaitingOutput === undefined) return;
    const { child, output } = background;
    const text = awaitingOutput;
    awaitingOutput = undefined;
    try {
      await waitFor(`the snippet to print ${text}`, () => output().includes(text));
    } finally {
      child.kill('SIGTERM');
      background = undefined;
    }
  }

  it('has a run or skip directive before every graphql, sh and js block', () => {
    const missing = blocks
      .filter((block) => RUNNABLE.has(block.lang) && block.directive === undefined)
      .map((block) => `line ${block.line} (${block.lang})`);
    expect(missing).toEqual([]);
    // A response example right after an operation would be mistaken for its variables.
    const stray = blocks.filter(
      (block) =>
        block.variables !== undefined && /^\s*\{\s*"(data|errors)"\s*:/.test(block.variables),
    );
    expect(stray.map((block) => block.line)).toEqual([]);
    expect(blocks.filter((b) => b.lang === 'graphql').length).toBeGreaterThan(50);
  });

  for (const block of blocks.filter((b) => RUNNABLE.has(b.lang) && b.directive !== undefined)) {
    const options = block.directive?.options ?? new Map<string, string>();
    const title = `line ${block.line}: ${block.lang} ${[...options]
      .map(([key, value]) => (value === '' ? key : `${key}=${value}`))
      .join(' ')}`;
    if (block.directive?.kind === 'skip') {
      it.skip(title, () => undefined);
      continue;
    }
    it(
      title,
      async () => {
        if (block.lang === 'graphql') await runGraphql(block, options);
        else if (block.lang === 'sh') await runShell(block, options);
        else if (options.has('background')) await startSnippet(block, options);
        else throw new Error('a js block runs only in the background');
        if (block.lang !== 'js') await expectSnippetOutput();
      },
      60_000,
    );
  }
});
