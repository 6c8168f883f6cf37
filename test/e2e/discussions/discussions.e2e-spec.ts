import { randomBytes } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { dumpStore } from '../../utils/store-dump';
import { AccountEntity } from '../../../src/identity/accounts/account.entity';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse, TestApp } from '../../utils/test-app';

interface AuthorView {
  handle: string;
  employerLabel: string;
  isOriginalPoster: boolean;
  isViewer: boolean;
}
interface ThreadView {
  id: string;
  title: string;
  body: string;
  status: string;
  score: number;
  viewerVote: number;
  commentCount: number;
  createdAt: string;
  editedAt: string | null;
  author: AuthorView;
}
interface CommentView {
  id: string;
  parentId: string | null;
  body: string;
  status: string;
  score: number;
  viewerVote: number;
  author: AuthorView;
}
interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const AUTHOR = 'author { handle employerLabel isOriginalPoster isViewer }';
const THREAD_FIELDS = `id title body status score viewerVote commentCount createdAt editedAt ${AUTHOR}`;
const COMMENT_FIELDS = `id parentId body status score viewerVote ${AUTHOR}`;

const CREATE_THREAD = `mutation ($input: CreateThreadInput!) {
  createThread(input: $input) { clientMutationId labelNotice notices { ruleName } thread { ${THREAD_FIELDS} board { slug } } }
}`;
const CREATE_COMMENT = `mutation ($input: CreateCommentInput!) {
  createComment(input: $input) { clientMutationId labelNotice notices { ruleName } comment { ${COMMENT_FIELDS} } }
}`;
const THREAD = `query ($id: ID!) { thread(id: $id) { ${THREAD_FIELDS} } }`;
const COMMENTS = `query ($id: ID!) {
  thread(id: $id) { comments(first: 100) { edges { node { ${COMMENT_FIELDS} } } pageInfo { hasNextPage } } }
}`;
const FEED = `query ($slug: String!, $first: Int!, $after: String, $order: ThreadOrder) {
  board(slug: $slug) { threads(first: $first, after: $after, order: $order) {
    edges { cursor node { id title score } } pageInfo { hasNextPage endCursor } } }
}`;

type Payload = {
  clientMutationId: string | null;
  labelNotice: string | null;
  notices: unknown[];
  thread: ThreadView & { board: { slug: string } };
};

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;

describe('Boards, threads, comments, votes and feeds', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let admin: SignedInClient;
  let alice: SignedInClient; // Initech
  let bob: SignedInClient; // Initech
  let carol: SignedInClient; // Globex
  let dave: SignedInClient; // no employer
  let companyBoard: { id: string; slug: string };
  let publicBoard: { id: string; slug: string };
  let t1: ThreadView;

  const createThread = async (
    client: SignedInClient,
    input: Record<string, unknown>,
  ): Promise<Payload> => {
    const res = await client.gql<{ createThread: Payload }>(CREATE_THREAD, { input });
    if (res.data?.createThread === undefined)
      throw new Error(`createThread failed: ${JSON.stringify(res.errors)}`);
    return res.data.createThread;
  };
  const createComment = async (client: SignedInClient, input: Record<string, unknown>) => {
    const res = await client.gql<{
      createComment: { comment: CommentView; labelNotice: string | null };
    }>(CREATE_COMMENT, { input });
    if (res.data?.createComment === undefined)
      throw new Error(`createComment failed: ${JSON.stringify(res.errors)}`);
    return res.data.createComment;
  };
  const readThread = async (client: SignedInClient, id: string) => {
    const res = await client.gql<{ thread: ThreadView | null }>(THREAD, { id });
    const more = await client.gql<{ thread: { comments: Connection<CommentView> } | null }>(
      COMMENTS,
      { id },
    );
    for (const r of [res, more])
      if (r.errors !== undefined) throw new Error(`thread failed: ${JSON.stringify(r.errors)}`);
    const thread = res.data?.thread;
    return thread === null || thread === undefined
      ? thread
      : { ...thread, comments: more.data!.thread!.comments };
  };
  const vote = (client: SignedInClient, contentId: string, value: number) =>
    client.gql<{ vote: number }>(
      'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }',
      {
        c: contentId,
        v: value,
      },
    );
  const contentStore = () => sut.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      COMPANY_BOARD_MIN_MEMBERS: '2',
      K_ANONYMITY_MIN: '3',
    });
    ({ app: sut, admin } = env);
    const globex = await admin.gql(
      'mutation { createCompany(name: "Globex", slug: "globex", domains: ["globex.example"], industry: "Energy", sizeBand: "10k+", jurisdiction: "US") { id } }',
    );
    expect(globex.errors).toBeUndefined();
    // Initech shares its industry and size band with Hooli: an INDUSTRY label names neither.
    const hooli = await admin.gql(
      'mutation { createCompany(name: "Hooli", slug: "hooli", domains: ["hooli.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
    );
    expect(hooli.errors).toBeUndefined();
    [alice, bob, carol, dave] = await Promise.all(
      [1, 2, 3, 4].map(() => signUpMember(sut, env.smtp)),
    );
    const gavin = await signUpMember(sut, env.smtp);
    expect(
      (await verifyEmployer(sut, env.smtp, gavin, 'gavin@hooli.example')).errors,
    ).toBeUndefined();
    for (const [client, work] of [
      [alice, 'alice@initech.example'],
      [bob, 'bob@initech.example'],
      [carol, 'carol@globex.example'],
    ] as const) {
      expect((await verifyEmployer(sut, env.smtp, client, work)).errors).toBeUndefined();
    }
    const created = await admin.gql<{ createBoard: { id: string; slug: string } }>(
      'mutation { createBoard(slug: "layoffs", name: "Layoffs", jurisdiction: "us") { id slug kind jurisdiction company { id } } }',
    );
    expect(created.data?.createBoard).toMatchObject({
      slug: 'layoffs',
      kind: 'PUBLIC',
      jurisdiction: 'US',
      company: null,
    });
    publicBoard = created.data!.createBoard;
  });
  afterAll(async () => env.close());

  it('lets only admins create public boards, with valid slugs', async () => {
    const op = 'mutation { createBoard(slug: "pay", name: "Pay", jurisdiction: "US") { id } }';
    expect(codeOf(await alice.gql(op))).toBe('FORBIDDEN');
    expect(codeOf(await sut.gql(op))).toBe('UNAUTHENTICATED');
    expect(
      codeOf(
        await admin.gql(
          'mutation { createBoard(slug: "Bad Slug", name: "x", jurisdiction: "US") { id } }',
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await admin.gql(
          'mutation { createBoard(slug: "layoffs", name: "Again", jurisdiction: "US") { id } }',
        ),
      ),
    ).toBe('CONFLICT');
  });

  it('opens the company board at the member threshold, visible only to its current members', async () => {
    const boardsOf = async (client: SignedInClient) =>
      (
        await client.gql<{
          boards: Array<{
            id: string;
            slug: string;
            kind: string;
            company: { slug: string } | null;
          }>;
        }>('{ boards { id slug kind company { slug } } }')
      ).data!.boards;
    const aliceBoards = await boardsOf(alice);
    expect(aliceBoards.map((b) => b.slug)).toEqual(['company-initech', 'layoffs']);
    expect(aliceBoards[0]).toMatchObject({ kind: 'COMPANY', company: { slug: 'initech' } });
    companyBoard = aliceBoards[0];
    expect((await boardsOf(bob)).map((b) => b.slug)).toEqual(['company-initech', 'layoffs']);
    // Globex has one member: no board yet; Carol never sees Initech's.
    expect((await boardsOf(carol)).map((b) => b.slug)).toEqual(['layoffs']);
    expect((await boardsOf(dave)).map((b) => b.slug)).toEqual(['layoffs']);
    // A visitor (PUBLIC_READ=false) is told to sign in, not shown an empty forum.
    expect(
      (await sut.gql<{ boards: unknown[] }>('{ boards { slug } }')).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');

    const bySlug = '{ board(slug: "company-initech") { slug name } }';
    expect((await bob.gql(bySlug)).data).toEqual({
      board: { slug: 'company-initech', name: 'Initech' },
    });
    expect((await carol.gql(bySlug)).data).toEqual({ board: null });
    expect((await sut.gql(bySlug)).data).toEqual({ board: null });
    expect((await alice.gql('{ board(slug: "nope") { slug } }')).data).toEqual({ board: null });

    const companyBoardOf = async (client: SignedInClient) =>
      (
        await client.gql<{ companies: Array<{ slug: string; board: { slug: string } | null }> }>(
          '{ companies { slug board { slug } } }',
        )
      ).data!.companies;
    expect(await companyBoardOf(alice)).toEqual([
      { slug: 'globex', board: null },
      { slug: 'hooli', board: null },
      { slug: 'initech', board: { slug: 'company-initech' } },
    ]);
    expect((await companyBoardOf(carol)).every((c) => c.board === null)).toBe(true);
  });

  it('refuses writes to boards the author may not use, without revealing them', async () => {
    const input = { boardId: companyBoard.id, title: 'Hello', body: 'World' };
    expect(codeOf(await carol.gql(CREATE_THREAD, { input }))).toBe('NOT_FOUND');
    expect(codeOf(await sut.gql(CREATE_THREAD, { input }))).toBe('UNAUTHENTICATED');
    expect(
      codeOf(
        await carol.gql(CREATE_THREAD, {
          input: { ...input, boardId: '00000000-0000-0000-0000-000000000000' },
        }),
      ),
    ).toBe('NOT_FOUND');
    // A member without a current employer reads public boards but cannot post there.
    expect(
      codeOf(await dave.gql(CREATE_THREAD, { input: { ...input, boardId: publicBoard.id } })),
    ).toBe('FORBIDDEN');
  });

  it('posts a thread under a per-thread handle, downgrading the employer label below k with a notice', async () => {
    const payload = await createThread(alice, {
      boardId: companyBoard.id,
      title: 'Cafe\u0301 closing?',
      body: '  Heard the cafe\u0301 on 3 is closing. <b>Not HTML</b>  ',
      disclosure: 'COMPANY',
    });
    t1 = payload.thread;
    expect(payload.notices).toEqual([]);
    expect(payload.labelNotice).toMatch(/fewer than 3 verified members/);
    expect(t1).toMatchObject({
      title: 'Café closing?',
      body: 'Heard the café on 3 is closing. <b>Not HTML</b>',
      status: 'PUBLISHED',
      score: 0,
      viewerVote: 0,
      commentCount: 0,
      editedAt: null,
      author: {
        employerLabel: 'an employee at an Internet company, 1k–5k',
        isOriginalPoster: true,
        isViewer: true,
      },
    });
    expect(t1.title.normalize('NFC')).toBe(t1.title);
    expect(t1.author.handle).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(t1.createdAt).toMatch(/:00\.000Z$/);
    expect(payload.thread.board.slug).toBe('company-initech');

    const seenByBob = await readThread(bob, t1.id);
    expect(seenByBob?.author).toEqual({ ...t1.author, isViewer: false });
    expect(await readThread(carol, t1.id)).toBeNull();
    expect((await sut.gql(THREAD, { id: t1.id })).data).toEqual({ thread: null });
  });

  it('names the company once it has k members', async () => {
    const erin = await signUpMember(sut, env.smtp);
    expect(
      (await verifyEmployer(sut, env.smtp, erin, 'erin@initech.example')).errors,
    ).toBeUndefined();
    const payload = await createThread(erin, {
      boardId: companyBoard.id,
      title: 'Now we are three',
      body: 'Hi',
      disclosure: 'COMPANY',
    });
    expect(payload.thread.author.employerLabel).toBe('Initech');
    expect(payload.labelNotice).toBeNull();
    const plain = await createThread(erin, { boardId: companyBoard.id, title: 'x', body: 'y' });
    expect(plain.thread.author.employerLabel).toBe('a verified employee');
  });

  it('keeps handles stable within a thread and marks the original poster and the viewer', async () => {
    const c1 = (await createComment(bob, { threadId: t1.id, body: 'Is it true?' })).comment;
    const c2 = (await createComment(alice, { threadId: t1.id, body: 'Yes, sadly.' })).comment;
    const r1 = (await createComment(bob, { threadId: t1.id, parentId: c2.id, body: 'Thanks.' }))
      .comment;
    expect(c2.author.handle).toBe(t1.author.handle);
    expect(c2.author.isOriginalPoster).toBe(true);
    expect(r1.author.handle).toBe(c1.author.handle);
    expect(c1.author.handle).not.toBe(t1.author.handle);
    expect(r1.parentId).toBe(c2.id);

    // Replies are one level deep, in the same thread.
    expect(
      codeOf(
        await bob.gql(CREATE_COMMENT, {
          input: { threadId: t1.id, parentId: r1.id, body: 'Nested' },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(await carol.gql(CREATE_COMMENT, { input: { threadId: t1.id, body: 'Hi' } })),
    ).toBe('NOT_FOUND');

    // The thread's row, read for the thread, answers its comments' original poster too: no
    // read of it by a list of ids (the request's thread loader). Reads by its id alone are
    // not counted: a reply's notice, delivered meanwhile, reads it too.
    const logger = contentStore().logger;
    const original = logger.logQuery.bind(logger);
    const threadReads: string[] = [];
    logger.logQuery = (query, parameters, runner): void => {
      if (/FROM ("\w+"\.)?"threads".* IN \(/.test(query)) threadReads.push(query);
      original(query, parameters, runner);
    };
    let seenByBob: Awaited<ReturnType<typeof readThread>>;
    try {
      seenByBob = await readThread(bob, t1.id);
    } finally {
      logger.logQuery = original;
    }
    expect(threadReads).toEqual([]);
    expect(seenByBob?.commentCount).toBe(3);
    const comments = seenByBob!.comments.edges.map((e) => e.node);
    expect(comments.map((c) => c.id)).toEqual([c1.id, c2.id, r1.id]);
    expect(comments.map((c) => [c.author.isOriginalPoster, c.author.isViewer])).toEqual([
      [false, true],
      [true, false],
      [false, true],
    ]);

    // The same person under unrelated handles in other threads.
    const handles = new Set<string>([t1.author.handle]);
    for (let i = 0; i < 4; i++) {
      handles.add(
        (await createThread(alice, { boardId: companyBoard.id, title: `Other ${i}`, body: 'b' }))
          .thread.author.handle,
      );
    }
    expect(handles.size).toBeGreaterThan(1);
  });

  it('counts one vote per person and keeps scores', async () => {
    expect((await vote(bob, t1.id, 1)).data?.vote).toBe(1);
    expect((await vote(bob, t1.id, 1)).data?.vote).toBe(1);
    expect((await vote(bob, t1.id, -1)).data?.vote).toBe(-1);
    expect((await vote(bob, t1.id, 0)).data?.vote).toBe(0);
    // Nobody votes on their own post (alice wrote t1).
    const own = await vote(alice, t1.id, 1);
    expect(own.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'OWN_POST' });
    expect((await vote(bob, t1.id, -1)).data?.vote).toBe(-1);
    expect(codeOf(await vote(bob, t1.id, 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(await vote(carol, t1.id, 1))).toBe('NOT_FOUND');
    expect(codeOf(await vote(bob, '00000000-0000-0000-0000-000000000000', 1))).toBe('NOT_FOUND');
    expect(codeOf(await sut.gql(`mutation { vote(contentId: "${t1.id}", value: 1) }`))).toBe(
      'UNAUTHENTICATED',
    );

    const thread = await readThread(alice, t1.id);
    expect(thread).toMatchObject({ score: -1, viewerVote: 0 });
    const c1 = thread!.comments.edges[0].node; // bob's
    expect((await vote(alice, c1.id, 1)).data?.vote).toBe(1);
    expect(codeOf(await vote(bob, c1.id, -1))).toBe('FORBIDDEN');
    const again = await readThread(alice, t1.id);
    expect(again!.comments.edges[0].node).toMatchObject({ score: 1, viewerVote: 1 });
    expect((await readThread(bob, t1.id))!.viewerVote).toBe(-1);
  });

  it('creates once per clientMutationId, also for concurrent retries', async () => {
    const input = {
      boardId: publicBoard.id,
      title: 'Idempotent',
      body: 'Once',
      clientMutationId: 'retry-1',
    };
    const first = await createThread(carol, input);
    const second = await createThread(carol, input);
    expect(first.clientMutationId).toBe('retry-1');
    expect(second.thread.id).toBe(first.thread.id);

    const concurrent = { ...input, title: 'Concurrent', clientMutationId: 'retry-2' };
    const [a, b] = await Promise.all([
      createThread(carol, concurrent),
      createThread(carol, concurrent),
    ]);
    expect(a.thread.id).toBe(b.thread.id);
    const threads = contentStore().getRepository(ThreadEntity);
    expect(await threads.countBy({ title: 'Concurrent' })).toBe(1);
    expect(await threads.countBy({ title: 'Idempotent' })).toBe(1);

    // Another person's identical key is theirs alone.
    const other = await createThread(alice, input);
    expect(other.thread.id).not.toBe(first.thread.id);

    const comment = { threadId: first.thread.id, body: 'Retry me', clientMutationId: 'c-1' };
    const [c, d] = await Promise.all([
      createComment(carol, comment),
      createComment(carol, comment),
    ]);
    expect(c.comment.id).toBe(d.comment.id);
    expect((await readThread(carol, first.thread.id))?.commentCount).toBe(1);
  });

  it('orders feeds NEW, TOP and HOT and pages them with cursors', async () => {
    const board = (
      await admin.gql<{ createBoard: { id: string; slug: string } }>(
        'mutation { createBoard(slug: "compensation", name: "Compensation", jurisdiction: "US") { id slug } }',
      )
    ).data!.createBoard;
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(
        (await createThread(carol, { boardId: board.id, title: `P${i}`, body: 'b' })).thread.id,
      );
    }
    const [p1, p2, p3, p4, p5] = ids;
    for (const client of [alice, bob]) await vote(client, p2, 1); // carol wrote them
    await vote(alice, p4, 1);
    await vote(alice, p5, -1);
    await vote(bob, p5, -1);

    const page = async (order: string, first: number, after?: string | null) => {
      const res = await dave.gql<{ board: { threads: Connection<{ id: string; score: number }> } }>(
        FEED,
        { slug: board.slug, first, after, order },
      );
      if (res.errors !== undefined) throw new Error(JSON.stringify(res.errors));
      return res.data!.board.threads;
    };
    const all = async (order: string, size: number) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const next: Connection<{ id: string }> = await page(order, size, after);
        seen.push(...next.edges.map((e) => e.node.id));
        if (!next.pageInfo.hasNextPage) return seen;
        after = next.pageInfo.endCursor;
      }
    };

    const newest = (await page('NEW', 10)).edges.map((e) => e.node.id);
    expect(newest).toEqual([p5, p4, p3, p2, p1]);
    const top = (await page('TOP', 10)).edges.map((e) => e.node);
    expect(top.map((n) => n.score)).toEqual([2, 1, 0, 0, -2]);
    expect([top[0].id, top[1].id, top[4].id]).toEqual([p2, p4, p5]);
    // HOT: log10(2) ≈ 0.30 outweighs being a few seconds newer; ±1 weighs like 0.
    const hot = (await page('HOT', 10)).edges.map((e) => e.node.id);
    expect(hot[0]).toBe(p2);
    expect(hot.at(-1)).toBe(p5);

    for (const order of ['NEW', 'TOP', 'HOT']) {
      const single = (await page(order, 100)).edges.map((e) => e.node.id);
      expect(await all(order, 2)).toEqual(single);
    }
    const firstPage = await page('NEW', 2);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);

    const bad = (vars: Record<string, unknown>) =>
      dave.gql(FEED, { slug: board.slug, first: 10, order: 'NEW', ...vars }).then(codeOf);
    expect(await bad({ first: 0 })).toBe('BAD_USER_INPUT');
    expect(await bad({ first: 101 })).toBe('BAD_USER_INPUT');
    expect(await bad({ after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
    expect(await bad({ order: 'TOP', after: firstPage.pageInfo.endCursor })).toBe('BAD_USER_INPUT');
    expect(
      codeOf(await dave.gql('{ board(slug: "compensation") { threads { edges { cursor } } } }')),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps cursors opaque: no time, rank or id inside, and any other string refused', async () => {
    const board = (
      await admin.gql<{ createBoard: { id: string; slug: string } }>(
        'mutation { createBoard(slug: "cursors", name: "Cursors", jurisdiction: "US") { id slug } }',
      )
    ).data!.createBoard;
    const posted = [];
    for (const title of ['C1', 'C2', 'C3']) {
      posted.push((await createThread(carol, { boardId: board.id, title, body: 'b' })).thread);
    }
    const rows = await contentStore()
      .getRepository(ThreadEntity)
      .find({ where: posted.map((t) => ({ id: t.id })) });
    const feed = async (slug: string, vars: Record<string, unknown>) =>
      dave.gql<{ board: { threads: Connection<{ id: string }> } }>(FEED, {
        slug,
        first: 1,
        order: 'NEW',
        ...vars,
      });
    const inside = (cursor: string) => Buffer.from(cursor, 'base64url').toString('latin1');
    const secrets = rows.flatMap((row) => [
      row.id,
      String(row.createdAt.getTime()),
      String(Math.floor(row.createdAt.getTime() / 1000)),
      String(row.hotRank),
    ]);
    for (const order of ['NEW', 'TOP', 'HOT']) {
      const page = (await feed(board.slug, { order })).data!.board.threads;
      for (const cursor of [...page.edges.map((e) => e.cursor), page.pageInfo.endCursor!]) {
        const raw = inside(cursor);
        for (const secret of [...secrets, order]) expect(raw).not.toContain(secret);
        expect(raw).not.toMatch(/\d{5,}/);
      }
      // Sealed with a fresh nonce: the same position sealed again (here the first edge of a
      // page of two, not the kept page of one, whose readers share its cursors while it is kept)
      // gives another string, which leads to the same place.
      const again = (await feed(board.slug, { order, first: 2 })).data!.board.threads.edges[0]
        .cursor;
      expect(again).not.toBe(page.pageInfo.endCursor);
      const next = async (after: string) =>
        (await feed(board.slug, { order, after })).data!.board.threads.edges.map((e) => e.node.id);
      expect(await next(again)).toEqual(await next(page.pageInfo.endCursor!));
    }

    const cursor = (await feed(board.slug, {})).data!.board.threads.pageInfo.endCursor!;
    expect((await feed(board.slug, { after: cursor })).errors).toBeUndefined();
    const middle = Math.floor(cursor.length / 2);
    const tampered = `${cursor.slice(0, middle)}${cursor[middle] === 'A' ? 'B' : 'A'}${cursor.slice(middle + 1)}`;
    // The format of old, readable cursors, pointing at the newest thread.
    const newest = rows.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
    const plain = Buffer.from(
      JSON.stringify(['NEW', newest.createdAt.getTime(), newest.id]),
    ).toString('base64url');
    for (const [slug, after] of [
      [board.slug, tampered],
      [board.slug, plain],
      [board.slug, cursor.slice(0, -4)],
      [publicBoard.slug, cursor], // another board's list
    ]) {
      const res = await feed(slug, { after });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toBe('after is not a cursor of this list.');
    }

    // Comments: opaque too, and bound to their thread.
    const thread = posted[0];
    for (const body of ['one', 'two']) await createComment(alice, { threadId: thread.id, body });
    const COMMENT_PAGE = `query ($id: ID!, $after: String) {
      thread(id: $id) { comments(first: 1, after: $after) { edges { node { id } } pageInfo { endCursor } } }
    }`;
    const comments = await dave.gql<{
      thread: { comments: Connection<{ id: string }> };
    }>(COMMENT_PAGE, { id: thread.id });
    const commentCursor = comments.data!.thread.comments.pageInfo.endCursor!;
    const commentRaw = inside(commentCursor);
    expect(commentRaw).not.toContain(comments.data!.thread.comments.edges[0].node.id);
    expect(commentRaw).not.toMatch(/\d{5,}/);
    expect(
      (await dave.gql(COMMENT_PAGE, { id: thread.id, after: commentCursor })).errors,
    ).toBeUndefined();
    expect(codeOf(await dave.gql(COMMENT_PAGE, { id: posted[1].id, after: commentCursor }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await feed(board.slug, { after: commentCursor }))).toBe('BAD_USER_INPUT');
  });

  it('lets only the author edit and delete, and shows deleted content empty', async () => {
    const edit = (client: SignedInClient, title: string) =>
      client.gql<{ editThread: { thread: ThreadView } }>(
        `mutation ($id: ID!, $title: String) { editThread(id: $id, title: $title) { thread { ${THREAD_FIELDS} } } }`,
        { id: t1.id, title },
      );
    expect(codeOf(await edit(bob, 'Hijacked'))).toBe('FORBIDDEN');
    expect(codeOf(await edit(carol, 'Hijacked'))).toBe('NOT_FOUND');
    expect(codeOf(await edit(alice, ''))).toBe('BAD_USER_INPUT');
    const edited = (await edit(alice, 'Café closing: confirmed')).data!.editThread.thread;
    expect(edited.title).toBe('Café closing: confirmed');
    expect(edited.body).toBe(t1.body);
    expect(edited.editedAt).toMatch(/:00\.000Z$/);

    const before = (await readThread(alice, t1.id))!;
    const aliceComment = before.comments.edges.map((e) => e.node).find((c) => c.author.isViewer)!;
    const editComment = (client: SignedInClient, body: string) =>
      client.gql<{ editComment: { comment: CommentView } }>(
        'mutation ($id: ID!, $b: String!) { editComment(id: $id, body: $b) { comment { body author { isOriginalPoster } } } }',
        { id: aliceComment.id, b: body },
      );
    expect(codeOf(await editComment(bob, 'Nope'))).toBe('FORBIDDEN');
    expect((await editComment(alice, 'Yes, confirmed.')).data?.editComment.comment).toEqual({
      body: 'Yes, confirmed.',
      author: { isOriginalPoster: true },
    });

    const deleteComment = (client: SignedInClient) =>
      client.gql('mutation ($id: ID!) { deleteComment(id: $id) }', { id: aliceComment.id });
    expect(codeOf(await deleteComment(bob))).toBe('FORBIDDEN');
    expect((await deleteComment(alice)).data).toEqual({ deleteComment: true });
    expect(codeOf(await deleteComment(alice))).toBe('NOT_FOUND');
    const after = (await readThread(bob, t1.id))!;
    expect(after.commentCount).toBe(before.commentCount - 1);
    expect(after.comments.edges.find((e) => e.node.id === aliceComment.id)?.node).toMatchObject({
      status: 'DELETED',
      body: '',
    });

    const doomed = await createThread(alice, {
      boardId: companyBoard.id,
      title: 'Doomed',
      body: 'x',
    });
    const deleteThread = (client: SignedInClient) =>
      client.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: doomed.thread.id });
    expect(codeOf(await deleteThread(bob))).toBe('FORBIDDEN');
    expect((await deleteThread(alice)).data).toEqual({ deleteThread: true });
    expect(await readThread(bob, doomed.thread.id)).toMatchObject({
      status: 'DELETED',
      title: '',
      body: '',
    });
    const feed = await bob.gql<{ board: { threads: Connection<{ id: string }> } }>(FEED, {
      slug: companyBoard.slug,
      first: 100,
    });
    expect(feed.data!.board.threads.edges.map((e) => e.node.id)).not.toContain(doomed.thread.id);
    expect(codeOf(await edit(alice, 'x'))).toBeUndefined();
  });

  it('erases the text of a deleted thread or comment from the store', async () => {
    // Markers long enough that random tokens in the dump cannot contain them by chance.
    const gone = `Qx7${randomBytes(6).toString('hex')}`;
    const { thread } = await createThread(alice, {
      boardId: companyBoard.id,
      title: `Vanishing title ${gone}`,
      body: `Vanishing body ${gone}`,
    });
    const { comment } = await createComment(bob, {
      threadId: thread.id,
      body: `Vanishing comment ${gone}, first version`,
    });
    const edited = await bob.gql(
      'mutation ($id: ID!, $b: String!) { editComment(id: $id, body: $b) { comment { id } } }',
      { id: comment.id, b: `Vanishing comment ${gone}, second version` },
    );
    expect(edited.errors).toBeUndefined();
    const { comment: kept } = await createComment(alice, {
      threadId: thread.id,
      body: 'Staying comment Kq4',
    });
    expect(await dumpStore(contentStore())).toContain(
      `vanishing comment ${gone.toLowerCase()}, second version`,
    );

    const deleted = await bob.gql('mutation ($id: ID!) { deleteComment(id: $id) }', {
      id: comment.id,
    });
    expect(deleted.data).toEqual({ deleteComment: true });
    let dump = await dumpStore(contentStore());
    expect(dump).not.toContain('vanishing comment');
    expect(dump).toContain(`vanishing body ${gone.toLowerCase()}`);
    const commentRow = await contentStore()
      .getRepository(CommentEntity)
      .findOneByOrFail({ id: comment.id });
    expect(commentRow).toMatchObject({ status: 'DELETED', body: '' });

    expect(
      (await alice.gql('mutation ($id: ID!) { deleteThread(id: $id) }', { id: thread.id })).data,
    ).toEqual({ deleteThread: true });
    dump = await dumpStore(contentStore());
    expect(dump).not.toContain(gone.toLowerCase());
    expect(
      await contentStore().getRepository(ThreadEntity).findOneByOrFail({ id: thread.id }),
    ).toMatchObject({ status: 'DELETED', title: '', body: '' });
    // Other people's comments stay as they were; the API shows what it showed before.
    expect(dump).toContain('staying comment kq4');
    const shown = (await readThread(bob, thread.id))!;
    expect(shown).toMatchObject({ status: 'DELETED', title: '', body: '' });
    expect(shown.comments.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ id: comment.id, status: 'DELETED', body: '' }),
      expect.objectContaining({ id: kept.id, status: 'PUBLISHED', body: 'Staying comment Kq4' }),
    ]);
  });

  it('refuses malformed posts with BAD_USER_INPUT', async () => {
    const cases: Array<Record<string, unknown>> = [
      { title: '', body: 'b' },
      { title: '   ', body: 'b' },
      { title: 't'.repeat(201), body: 'b' },
      { title: 't', body: 'b'.repeat(20_001) },
      { title: 't', body: 'b', clientMutationId: '' },
      { title: 't', body: 'b', disclosure: 'EVERYTHING' },
    ];
    for (const input of cases) {
      const res = await alice.gql(CREATE_THREAD, { input: { boardId: publicBoard.id, ...input } });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
    expect(
      (
        await createThread(alice, {
          boardId: publicBoard.id,
          title: 't'.repeat(200),
          body: 'b'.repeat(20_000),
        })
      ).thread.title,
    ).toHaveLength(200);
    expect(
      codeOf(
        await alice.gql(CREATE_COMMENT, { input: { threadId: t1.id, body: 'c'.repeat(10_001) } }),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('keeps no account id, seal id, email or session token in any content table, and no column that joins to an account', async () => {
    const identity = sut.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    const accounts = (await identity.getRepository(AccountEntity).find()).map((a) => ({
      id: a.id,
      seal_id: a.sealId,
    }));
    const secrets = [
      ...accounts.flatMap((a) => [a.id, a.seal_id]),
      ...[admin, alice, bob, carol, dave].flatMap((c) => [c.token, c.email, c.email.split('@')[0]]),
      'initech.example',
      'globex.example',
    ].map((s) => s.toLowerCase());
    expect(accounts.length).toBeGreaterThanOrEqual(5);

    const content = contentStore();
    let cells = 0;
    for (const entity of content.entityMetadatas) {
      for (const column of entity.columns) {
        expect(column.databaseName).not.toMatch(/account|email|session|membership|user|ip_/i);
      }
      const rows = await content.query<Array<Record<string, unknown>>>(
        `SELECT * FROM ${entity.tablePath
          .split('.')
          .map((p) => content.driver.escape(p))
          .join('.')}`,
      );
      for (const row of rows) {
        for (const value of Object.values(row)) {
          cells += 1;
          const text = String(value).toLowerCase();
          for (const secret of secrets) expect(text).not.toContain(secret);
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
    // No content value appears in the identity store either (e.g. a thread id next to an account).
    const threadIds = (await content.getRepository(ThreadEntity).find()).map((r) => r.id);
    for (const entity of identity.entityMetadatas) {
      const rows = await identity.query<Array<Record<string, unknown>>>(
        `SELECT * FROM ${entity.tablePath
          .split('.')
          .map((p) => identity.driver.escape(p))
          .join('.')}`,
      );
      const dump = rows.flatMap((r) => Object.values(r).map(String)).join('\n');
      for (const id of threadIds) expect(dump).not.toContain(id);
    }
  });
});
