import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import { ContentStatus } from '../../../src/posts/content-status';
import { ContentWithholdingEntity } from '../../../src/posts/content-withholding.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { storeTable } from '../../../src/infrastructure/database/migrations/store-table';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import { postThread } from '../../utils/discussion-client';
import {
  createGeneralBoard,
  createTwoCompanyTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';
import { onPostgres } from '../../utils/test-env';
import { HANG_MS } from '../../utils/wait';

const mockLogLines: string[] = [];
jest.mock('pino', () =>
  jest
    .requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
    .capturingPino((line) => mockLogLines.push(line)),
);

const SEARCH = `query ($q: String!, $first: Int!, $after: String, $board: String) {
  search(query: $q, first: $first, after: $after, boardSlug: $board) {
    edges { cursor snippet node { id title board { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const METRICS_TOKEN = 'metrics-token-0123456789';
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');

interface Search {
  search: {
    edges: Array<{ cursor: string; snippet: string; node: { id: string; title: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Who asks: a member's client, or a visitor reading from `country`. */
type Asker = SignedInClient | { country: string };

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;

describe('Thread search (Query.search)', () => {
  let env: IdentityTestApp;
  let initech: SignedInClient;
  let globex: SignedInClient;
  /** An Initech member in DE, where one thread is withheld. */
  let german: SignedInClient;
  let general: string;
  const ids: Record<string, string> = {};

  const ask = (who: Asker, q: string, extra: Record<string, unknown> = {}) =>
    'country' in who
      ? env.app.gql<Search>(SEARCH, { q, first: 20, ...extra }, { 'X-Country': who.country })
      : who.gql<Search>(SEARCH, { q, first: 20, ...extra });
  const found = async (who: Asker, q: string, extra: Record<string, unknown> = {}) =>
    (await dataOf(ask(who, q, extra))).search.edges.map((e) => e.node.id);
  const content = () => env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
  const indexRows = async (threadId: string) => {
    const table = storeTable(content(), 'thread_search');
    const rows: Array<{ tokens: string }> = await content().query(
      `SELECT tokens FROM ${table} WHERE thread_id = ${onPostgres() ? '$1' : '?'}`,
      [threadId],
    );
    return rows.map((r) => r.tokens);
  };

  beforeAll(async () => {
    env = await createTwoCompanyTestApp({
      VISITOR_CACHE_MS: '0',
      LOG_LEVEL: 'debug',
      METRICS_TOKEN,
    });
    general = await createGeneralBoard(env.admin);
    const member = async (email: string, jurisdiction = 'US') => {
      const client = await signUpMember(env.app, env.smtp, { jurisdiction });
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    initech = await member('peter@initech.example');
    globex = await member('hank@globex.example');
    german = await member('milton@initech.example', 'DE');
    const companyBoard = async (client: SignedInClient) =>
      (
        await dataOf(
          client.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
        )
      ).boards.find((b) => b.kind === 'COMPANY')!.id;
    const globexBoard = await companyBoard(globex);
    const post = async (name: string, title: string, body: string, by = initech, board = general) =>
      (ids[name] = await postThread(by, board, title, body));

    await post(
      'overtime',
      'Overtime pay at the plant',
      'Our overtime pay is late again; the night shift waits for weeks.',
    );
    await post('shift', 'Night shift schedules', 'The shift manager changed the schedule again.');
    await post('chinese', '加班问题', '我们公司的工资待遇很好，但是加班很多。');
    await post('traditional', '薪水', '我們公司的薪水不錯，福利也好。');
    await post(
      'long',
      'A long story',
      `${'Nothing to see in this part of the story. '.repeat(12)}Then the cafeteria closed for good. ${'And more filler follows it here. '.repeat(12)}`,
    );
    // Ranking: one thread is all about parking, one mentions it once among many words.
    await post('parkingMain', 'Parking', 'Parking parking parking: the parking lot is full.');
    await post(
      'parkingAside',
      'Lunch options',
      `The canteen, the menu, the prices and the queue; ${'also the coffee machine and the tea. '.repeat(6)}Oh, and parking.`,
    );
    // Recency: the same words, one written (as if) a year earlier.
    await post('recentMemo', 'Quarterly memo', 'The quarterly memo is out.');
    await post('oldMemo', 'Quarterly memo', 'The quarterly memo is out.');
    await content()
      .getRepository(ThreadEntity)
      .update({ id: ids.oldMemo }, { createdAt: new Date(Date.now() - 365 * 86_400_000) });
    for (let i = 0; i < 5; i++) await post(`roster${i}`, `Roster ${i}`, `The roster number ${i}.`);
    // Not for everyone: held, removed, withheld in DE (written by the German member), on
    // Globex's company board.
    await post('held', 'Held thread', 'About the zeppelinword plan.');
    await post('removed', 'Removed thread', 'About the zeppelinword budget.');
    await post('withheld', 'Withheld thread', 'About the zeppelinword gossip.', german);
    await post('globex', 'Globex thread', 'About the zeppelinword merger.', globex, globexBoard);
    await post('visible', 'Visible thread', 'About the zeppelinword picnic.');
    const threads = content().getRepository(ThreadEntity);
    await threads.update({ id: ids.held }, { status: ContentStatus.HELD });
    await threads.update({ id: ids.removed }, { status: ContentStatus.REMOVED });
    await content().getRepository(ContentWithholdingEntity).insert({
      contentId: ids.withheld,
      jurisdiction: 'DE',
      contentKind: 'THREAD',
      threadId: ids.withheld,
      createdAt: new Date(),
    });
  }, 300_000);
  afterAll(async () => env?.close());

  it('finds threads holding every word, in the title or the body', async () => {
    expect(await found(initech, 'overtime')).toEqual([ids.overtime]);
    expect(await found(initech, 'night shift')).toEqual(
      expect.arrayContaining([ids.overtime, ids.shift]),
    );
    expect(await found(initech, 'NIGHT weeks')).toEqual([ids.overtime]);
    expect(await found(initech, 'overtime schedule')).toEqual([]);
  });

  it('matches a quoted phrase only as written, words next to each other', async () => {
    expect(await found(initech, '"overtime pay"')).toEqual([ids.overtime]);
    expect(await found(initech, '"pay overtime"')).toEqual([]);
    expect(await found(initech, '"night shift" waits')).toEqual([ids.overtime]);
  });

  it('finds Chinese words written without spaces, and Traditional text for Simplified queries', async () => {
    expect(await found(initech, '工资待遇')).toEqual([ids.chinese]);
    expect(await found(initech, '加班')).toEqual([ids.chinese]);
    expect(await found(initech, '薪水不错')).toEqual([ids.traditional]);
    expect(await found(initech, '我们公司')).toEqual(
      expect.arrayContaining([ids.chinese, ids.traditional]),
    );
  });

  it('ranks the more relevant thread first, and the newer of two equal ones', async () => {
    expect(await found(initech, 'parking')).toEqual([ids.parkingMain, ids.parkingAside]);
    expect(await found(initech, 'quarterly memo')).toEqual([ids.recentMemo, ids.oldMemo]);
  });

  it('gives a short plain-text snippet of the original text around the match', async () => {
    const { search } = await dataOf(ask(initech, 'cafeteria'));
    const [edge] = search.edges;
    expect(edge.node.id).toBe(ids.long);
    expect(edge.snippet).toContain('Then the cafeteria closed for good.');
    expect(edge.snippet.length).toBeLessThanOrEqual(170);
    expect(edge.snippet).toMatch(/^….*…$/);
    const [chinese] = (await dataOf(ask(initech, '薪水'))).search.edges;
    expect(chinese.snippet).toBe('我們公司的薪水不錯，福利也好。');
  });

  it('pages with sealed cursors of the same search, with no repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { search }: Search = await dataOf(ask(initech, 'roster', { first: 2, after }));
      seen.push(...search.edges.map((e) => e.node.id));
      expect(search.pageInfo.endCursor).toBe(search.edges.at(-1)?.cursor ?? null);
      if (!search.pageInfo.hasNextPage) break;
      after = search.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set([0, 1, 2, 3, 4].map((i) => ids[`roster${i}`])));
    // A cursor opens only for the search that made it, and `first` is capped as elsewhere.
    const { search } = await dataOf(ask(initech, 'roster', { first: 1 }));
    const other = await ask(initech, 'parking', { first: 1, after: search.pageInfo.endCursor });
    expect(codeOf(other)).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.extensions?.fields).toEqual(['after']);
    for (const first of [0, 101])
      expect(codeOf(await ask(initech, 'roster', { first }))).toBe('BAD_USER_INPUT');
  });

  it('never shows held, removed or withheld threads, nor boards the viewer cannot read', async () => {
    expect(new Set(await found(initech, 'zeppelinword'))).toEqual(
      new Set([ids.visible, ids.withheld]),
    );
    // The German author still finds their own withheld thread; another reader in DE does not.
    expect(new Set(await found(german, 'zeppelinword'))).toEqual(
      new Set([ids.visible, ids.withheld]),
    );
    expect(await found({ country: 'DE' }, 'zeppelinword')).toEqual([ids.visible]);
    expect(new Set(await found(globex, 'zeppelinword'))).toEqual(
      new Set([ids.visible, ids.withheld, ids.globex]),
    );
    // boardSlug: one board; one the viewer cannot read answers as its feed does, empty.
    expect(await found(globex, 'zeppelinword', { board: 'company-globex' })).toEqual([ids.globex]);
    expect(await found(initech, 'zeppelinword', { board: 'company-globex' })).toEqual([]);
    expect(await found(initech, 'zeppelinword', { board: 'no-such-board' })).toEqual([]);
    const feed = await dataOf(
      initech.gql<{ board: unknown }>('{ board(slug: "company-globex") { id } }'),
    );
    expect(feed.board).toBeNull();
  });

  it('follows edits, and a deleted thread leaves nothing in the index', async () => {
    const id = await postThread(initech, general, 'Edit me', 'The word is marmalade.');
    expect(await found(initech, 'marmalade')).toEqual([id]);
    const fileHolds = async (word: string) => {
      await content().query('PRAGMA wal_checkpoint(TRUNCATE)');
      return readFileSync(join(env.app.env.DATA_DIR, 'content.sqlite')).includes(word);
    };
    // The check below can fail: a word written is in the file.
    if (!onPostgres()) expect(await fileHolds('marmalade')).toBe(true);
    await dataOf(
      initech.gql(
        'mutation ($id: ID!) { editThread(id: $id, body: "Now it is quince.") { thread { id } } }',
        {
          id,
        },
      ),
    );
    expect(await found(initech, 'marmalade')).toEqual([]);
    expect(await found(initech, 'quince')).toEqual([id]);
    await dataOf(initech.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id }));
    expect(await found(initech, 'quince')).toEqual([]);
    expect(await indexRows(id)).toEqual([]);
    if (!onPostgres()) {
      const left: unknown[] = await content().query(
        `SELECT rowid FROM thread_search_fts WHERE thread_search_fts MATCH '"quince"'`,
      );
      expect(left).toEqual([]);
      // Nor do the words stay in the file's pages (FTS5 secure-delete, secure_delete, the
      // checkpoint after a deletion).
      for (const word of ['marmalade', 'quince']) expect(await fileHolds(word)).toBe(false);
    }
  });

  it('answers hostile queries with results or BAD_USER_INPUT, never an internal error', async () => {
    const hostile = [
      '"',
      '""',
      '"unclosed phrase',
      'NEAR(overtime pay)',
      'overtime NEAR pay',
      'over*',
      '*',
      '-overtime',
      'tokens:overtime',
      'thread_search_fts:overtime',
      '(overtime OR pay)',
      'overtime AND NOT pay',
      '^overtime',
      "'; DROP TABLE threads; --",
      "o'brien \\ back\\slash",
      '{}[]!@#$%^&*()_+=|<>?/.,;:',
      '...',
      '　',
      '\u0000 overtime',
      '😀 overtime',
      'x'.repeat(200),
      `${'word '.repeat(39)}word`,
    ];
    for (const q of hostile) {
      const res = await ask(initech, q);
      if (res.errors !== undefined) {
        expect({ q, code: codeOf(res) }).toEqual({ q, code: 'BAD_USER_INPUT' });
      } else {
        expect(Array.isArray(res.data?.search.edges)).toBe(true);
      }
    }
    expect(await found(initech, 'NEAR(overtime pay)')).toEqual([]);
    expect(await found(initech, '-overtime')).toEqual([ids.overtime]);
    for (const q of ['', '   ', 'x'.repeat(201)]) {
      const res = await ask(initech, q);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.fields).toEqual(['query']);
    }
    expect(await found(initech, '?!…')).toEqual([]);
  });

  it('never writes the search text to the logs or the metrics', async () => {
    const secret = 'unguessablesearchword';
    mockLogLines.length = 0;
    await found(initech, `${secret} overtime`);
    const url = `${env.app.url}/graphql?query=${encodeURIComponent(`{ search(query: "${secret}", first: 1) { edges { snippet } } }`)}`;
    await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const metrics = await (
      await fetch(`${env.app.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    expect(mockLogLines.length).toBeGreaterThan(0);
    expect(mockLogLines.filter((line) => line.includes(secret))).toEqual([]);
    expect(metrics).toContain('graphql_requests_total');
    expect(metrics).not.toContain(secret);
  });

  it('is rebuilt by `npm run cli -- rebuild-search-index` from the threads', async () => {
    const table = storeTable(content(), 'thread_search');
    await content().query(`DELETE FROM ${table}`);
    expect(await found(initech, 'overtime')).toEqual([]);
    const result = spawnSync(process.execPath, [CLI, 'rebuild-search-index'], {
      env: { PATH: process.env.PATH, ...env.app.env },
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [count]: Array<{ n: number | string }> = await content().query(
      `SELECT COUNT(*) AS n FROM ${table}`,
    );
    expect(result.stdout).toBe(`Indexed ${Number(count.n)} threads.\n`);
    expect(await found(initech, 'overtime')).toEqual([ids.overtime]);
    expect(await found(initech, '工资待遇')).toEqual([ids.chinese]);
    // Held and removed threads are indexed too (the policy filters them when searching).
    expect(await indexRows(ids.held)).toHaveLength(1);
  });
});
