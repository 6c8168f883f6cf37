import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import {
  DEMO_MEMBERS,
  DEMO_PASSWORD,
  DEMO_RULE_SETS,
  DEMO_STAFF,
  DEMO_THREADS,
} from '../../../src/demo/demo-world';
import { killServer, type ServerProcess, serverEnv, startServer } from '../../utils/server-process';
import { createTestStores, type TestStores } from '../../utils/test-env';
import { HANG_MS, waitFor } from '../../utils/wait';

const SEED = join(PROJECT_ROOT, 'dist', 'src', 'seed.js');

interface Answer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function gql<T>(server: ServerProcess, query: string, token?: string, variables = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as Answer<T>;
  if (answer.errors !== undefined) throw new Error(JSON.stringify(answer.errors));
  return answer.data as T;
}

async function signIn(server: ServerProcess, email: string): Promise<string> {
  const { signIn } = await gql<{ signIn: { token: string } }>(
    server,
    'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
    undefined,
    { e: email, p: DEMO_PASSWORD },
  );
  return signIn.token;
}

/** What a newcomer sees of the demo world: counted, so a second seeding can be compared. */
async function census(server: ServerProcess) {
  const moderator = await signIn(server, 'moderator@demo.example.org');
  const officer = await signIn(server, 'officer@demo.example.org');
  const avery = await signIn(server, 'avery@demo.example.org');
  const { boards } = await gql<{
    boards: Array<{
      slug: string;
      kind: string;
      threads: { edges: Array<{ node: { title: string; score: number; commentCount: number } }> };
    }>;
  }>(
    server,
    '{ boards { slug kind threads(first: 50) { edges { node { title score commentCount } } } } }',
    avery,
  );
  const { reviewQueue } = await gql<{
    reviewQueue: {
      edges: Array<{ node: { kind: string; reasons: Array<{ ruleName: string | null }> } }>;
    };
  }>(
    server,
    '{ reviewQueue(first: 100) { edges { node { kind reasons { ruleName } } } } }',
    moderator,
  );
  const { jurisdictions } = await gql<{
    jurisdictions: Array<{
      code: string;
      ruleSets: Array<{ status: string; rules: Array<{ action: string }> }>;
    }>;
  }>(server, '{ jurisdictions { code ruleSets { status rules { action } } } }', officer);
  return { boards, queue: reviewQueue.edges.map((e) => e.node), jurisdictions };
}

describe('demo world (npm run seed, npm start -- --demo)', () => {
  let stores: TestStores;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    stores = createTestStores();
  });
  afterEach(() => killServer(server));
  afterAll(() => stores.dispose());

  it('seeds a populated forum and prints where to go and the demo accounts', async () => {
    server = await startServer(serverEnv(stores.env), HANG_MS * 10, ['--demo']);
    // The banner follows the "ready" line.
    await waitFor('the demo accounts banner', () => server!.output().includes('password for all'));
    const output = server.output();
    const port = new URL(server.url).port;
    expect(output).toContain(`GraphQL  http://127.0.0.1:${port}/graphql`);
    expect(output).toContain(`Console  http://127.0.0.1:${port}/console/`);
    for (const person of DEMO_STAFF) expect(output).toContain(person.email);
    expect(output).toContain(DEMO_PASSWORD);
    expect(output).toMatch(/Demo world ready in [\d.]+ s \(created: 32 accounts/);

    const { boards, queue, jurisdictions } = await census(server);
    const bySlug = new Map(boards.map((board) => [board.slug, board]));
    // Public boards, and the company board Acme Cloud's ten members opened.
    for (const slug of ['layoffs', 'compensation', 'zhichang', 'arbeitswelt'])
      expect(bySlug.get(slug)?.kind).toBe('PUBLIC');
    expect(bySlug.get('company-acme-cloud')?.kind ?? bySlug.get('acme-cloud')?.kind).toBe(
      'COMPANY',
    );
    const titles = boards.flatMap((board) => board.threads.edges.map((edge) => edge.node.title));
    expect(titles).toContain('Q4 reorg at Acme Cloud: what we know so far');
    expect(titles).toContain('年终奖普遍几个月？');
    const reorg = boards
      .flatMap((board) => board.threads.edges.map((edge) => edge.node))
      .find((thread) => thread.title.startsWith('Q4 reorg'));
    expect(reorg?.score).toBe(6);
    expect(reorg?.commentCount).toBe(3);

    // The queue: a held strike call, flagged posts and two reported threads.
    const kinds = queue.map((item) => item.kind).sort();
    expect(kinds.filter((kind) => kind === 'RULE_HOLD').length).toBeGreaterThanOrEqual(1);
    expect(kinds.filter((kind) => kind === 'RULE_FLAG').length).toBeGreaterThanOrEqual(1);
    expect(kinds.filter((kind) => kind === 'USER_REPORTS').length).toBe(2);

    // CN and DE: an active version whose rules cover every action, and an open DE draft.
    for (const code of ['CN', 'DE'] as const) {
      const versions = jurisdictions.find((j) => j.code === code)?.ruleSets ?? [];
      expect(versions.filter((v) => v.status === 'ACTIVE')).toHaveLength(1);
      expect(
        versions
          .find((v) => v.status === 'ACTIVE')
          ?.rules.map((r) => r.action)
          .sort(),
      ).toEqual(DEMO_RULE_SETS[code].map((rule) => rule.action).sort());
    }
    expect(
      jurisdictions.find((j) => j.code === 'DE')?.ruleSets.filter((v) => v.status === 'DRAFT'),
    ).toHaveLength(1);
    const actions = new Set(
      Object.values(DEMO_RULE_SETS).flatMap((rules) => rules.map((rule) => rule.action)),
    );
    expect([...actions].sort()).toEqual(['BLOCK', 'FLAG', 'HOLD', 'REDACT', 'WITHHOLD']);
    await killServer(server);

    // Seeding again (npm run seed, then DEMO=true) duplicates nothing.
    const again = spawnSync(process.execPath, [SEED], {
      env: serverEnv(stores.env),
      encoding: 'utf8',
      timeout: HANG_MS * 10,
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(
      'created: 0 accounts, 0 memberships, 0 companies, 0 boards, 0 ruleSets',
    );
    server = await startServer(serverEnv(stores.env, { DEMO: 'true' }), HANG_MS * 10);
    const second = await census(server);
    expect(second.boards).toEqual(boards);
    expect(second.queue.length).toBe(queue.length);
    expect(second.jurisdictions).toEqual(jurisdictions);
  }, 1_200_000);

  it('shows each rule at work: withheld in China, redacted on German boards', async () => {
    server = await startServer(serverEnv(stores.env));
    const chinese = await signIn(server, 'wang.fang@demo.example.org');
    const american = await signIn(server, 'avery@demo.example.org');
    const feed = (token: string, slug: string) =>
      gql<{ board: { threads: { edges: Array<{ node: { title: string; body: string } }> } } }>(
        server!,
        'query ($s: String!) { board(slug: $s) { threads(first: 50) { edges { node { title body } } } } }',
        token,
        { s: slug },
      ).then((data) => data.board.threads.edges.map((edge) => edge.node));
    const vpn = DEMO_THREADS.find((thread) => thread.key === 'zhichang-vpn')?.title;
    expect((await feed(american, 'compensation')).map((t) => t.title)).toContain(vpn);
    expect((await feed(chinese, 'compensation')).map((t) => t.title)).not.toContain(vpn);
    const contact = (await feed(american, 'arbeitswelt')).find((t) =>
      t.title.startsWith('Betriebsratswahl'),
    );
    expect(contact?.body).not.toContain('anna.wahl@rheinwerk.example');
    expect(contact?.body).not.toContain('151 2345 6789');
    // The strike call is held: not in the CN feed.
    expect((await feed(chinese, 'zhichang')).map((t) => t.title)).not.toContain('仓库有人说要罢工');
    expect(DEMO_MEMBERS.length).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('is refused in production', () => {
    const env = serverEnv(stores.env, {
      NODE_ENV: 'production',
      APP_SECRET: 'a-real-looking-secret-0123456789abcdef',
      SMTP_URL: 'smtp://127.0.0.1:1',
    });
    const seed = spawnSync(process.execPath, [SEED], {
      env,
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });
    expect(seed.status).toBe(1);
    expect(seed.stderr).toContain('refused when NODE_ENV=production');
    const start = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'src', 'main.js'), '--demo'],
      {
        env,
        encoding: 'utf8',
        timeout: HANG_MS * 4,
      },
    );
    expect(start.status).toBe(78);
    expect(start.stderr).toContain('DEMO cannot be used in production');
  });
});
