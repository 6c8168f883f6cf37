import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import { DEMO_PASSWORD } from '../../../src/demo/demo-world';
import { killServer, type ServerProcess, serverEnv, startServer } from '../../utils/server-process';
import { createTestStores, type TestStores } from '../../utils/test-env';
import { HANG_MS } from '../../utils/wait';

/**
 * docs/examples/client.ts, built and run as its README says
 * (`npx tsc -p docs/examples && node dist/examples/client.js`), against the demo world.
 */
describe('docs/examples/client.ts', () => {
  let stores: TestStores;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    stores = createTestStores();
  });
  afterAll(async () => {
    await killServer(server);
    await stores.dispose();
  });

  it('types its operations with generated/graphql.ts as generated from the current schema.gql', () => {
    // Regenerated in a child process (GraphQL Code Generator loads ES modules that Jest
    // cannot); fails after a change of schema.gql or operations.graphql without
    // `npm run examples:codegen`.
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        join('docs', 'examples', 'tsconfig.codegen.json'),
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: HANG_MS * 10 },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    const codegen = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'examples', 'codegen.js'), '--stdout'],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: HANG_MS * 4 },
    );
    expect(codegen.stderr).toBe('');
    expect(codegen.status).toBe(0);
    const committed = readFileSync(
      join(PROJECT_ROOT, 'docs', 'examples', 'generated', 'graphql.ts'),
      'utf8',
    );
    expect(codegen.stdout).toBe(committed);
  });

  it('signs in as a demo member and posts a thread that the API then shows', async () => {
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join('docs', 'examples')],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: HANG_MS * 10 },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    server = await startServer(serverEnv(stores.env), HANG_MS * 10, ['--demo']);
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'examples', 'client.js')], {
      env: { PATH: process.env.PATH, FORUM_URL: server.url },
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const printed = /^thread (\S+) by (.+) \(/m.exec(run.stdout);
    expect(printed).not.toBeNull();
    const [, id, handle] = printed ?? [];

    const signIn = await graphql(
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
      { e: 'blake@demo.example.org', p: DEMO_PASSWORD },
    );
    const token = (signIn.data?.signIn as { token: string }).token;
    const answer = await graphql(
      'query ($id: ID!) { thread(id: $id) { title board { slug } author { handle isViewer } } }',
      { id },
      token,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.thread).toEqual({
      title: 'Posted from the example client',
      board: { slug: 'compensation' },
      author: { handle, isViewer: false },
    });
  }, 1_200_000);

  async function graphql(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
    const response = await fetch(`${server?.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  }
});
