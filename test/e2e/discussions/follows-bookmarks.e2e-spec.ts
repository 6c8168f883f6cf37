import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BookmarkRecordEntity } from '../../../src/identity/bookmarks/bookmark-record.entity';
import { BOOKMARK_CAP, BookmarksService } from '../../../src/identity/bookmarks/bookmarks.service';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { ThreadFollowEntity } from '../../../src/posts/thread-follow.entity';
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
import { tableName } from '../../utils/store-dump';
import type { GraphqlResponse } from '../../utils/test-app';

const FOLLOW = `mutation ($id: ID!, $on: Boolean) { followThread(id: $id, follow: $on) { id viewerFollows viewerBookmarked } }`;
const BOOKMARK = `mutation ($id: ID!, $on: Boolean) { bookmarkThread(id: $id, bookmark: $on) { id viewerFollows viewerBookmarked } }`;
const BOOKMARKS = `query ($first: Int!, $after: String) { bookmarks(first: $first, after: $after) {
  edges { cursor node { id title viewerBookmarked } } pageInfo { hasNextPage endCursor } } }`;
const FLAGS = `query ($id: ID!) { thread(id: $id) { id viewerFollows viewerBookmarked } }`;

interface Flags {
  id: string;
  viewerFollows: boolean;
  viewerBookmarked: boolean;
}
interface Page {
  edges: Array<{ cursor: string; node: { id: string; title: string; viewerBookmarked: boolean } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const codeOf = (res: GraphqlResponse<unknown>): unknown => res.errors?.[0]?.extensions?.code;
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('followThread, bookmarkThread, bookmarks and the viewer flags', () => {
  let env: IdentityTestApp;
  let peter: SignedInClient;
  let hank: SignedInClient;
  let milton: SignedInClient;
  let general: string;
  let initechBoard: string;
  const publicThreads: string[] = [];
  let initechThread: string;

  const follow = (by: SignedInClient, id: string, on?: boolean) =>
    by.gql<{ followThread: Flags }>(FOLLOW, { id, on });
  const bookmark = (by: SignedInClient, id: string, on?: boolean) =>
    by.gql<{ bookmarkThread: Flags }>(BOOKMARK, { id, on });
  const bookmarks = (by: SignedInClient, first: number, after?: string | null) =>
    by.gql<{ bookmarks: Page }>(BOOKMARKS, { first, after });
  const store = (name: string) =>
    env.app.app.get<DataSource>(
      getDataSourceToken(name === 'content' ? CONTENT_STORE : IDENTITY_STORE),
    );
  const accountOf = async (client: SignedInClient) =>
    (await env.app.app.get(SessionsService).resolve(client.token))!.accountId;
  /** Every bookmark, following endCursor `first` at a time. */
  const allBookmarks = async (by: SignedInClient, first: number) => {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { bookmarks: page }: { bookmarks: Page } = await dataOf(bookmarks(by, first, after));
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  };

  beforeAll(async () => {
    env = await createTwoCompanyTestApp();
    general = await createGeneralBoard(env.admin);
    const member = async (email: string) => {
      const client = await signUpMember(env.app, env.smtp);
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    peter = await member('peter@initech.example');
    hank = await member('hank@globex.example');
    milton = await member('milton@initech.example');
    initechBoard = (
      await dataOf(
        peter.gql<{ boards: Array<{ id: string; kind: string }> }>('{ boards { id kind } }'),
      )
    ).boards.find((b) => b.kind === 'COMPANY')!.id;
    for (let i = 0; i < 5; i++)
      publicThreads.push(await postThread(hank, general, `Public ${i}`, 'text'));
    initechThread = await postThread(peter, initechBoard, 'Initech only', 'text');
  }, 300_000);
  afterAll(async () => env?.close());

  describe('followThread', () => {
    it('follows once however often it is asked, and unfollows', async () => {
      const thread = publicThreads[0];
      for (let i = 0; i < 2; i++) {
        const { followThread } = await dataOf(follow(peter, thread));
        expect(followThread).toEqual({ id: thread, viewerFollows: true, viewerBookmarked: false });
      }
      const rows = () =>
        store('content').getRepository(ThreadFollowEntity).countBy({ threadId: thread });
      expect(await rows()).toBe(1);
      // Only the follower sees the flag.
      expect(
        (await dataOf(hank.gql<{ thread: Flags }>(FLAGS, { id: thread }))).thread.viewerFollows,
      ).toBe(false);
      expect((await dataOf(env.app.gql<{ thread: Flags }>(FLAGS, { id: thread }))).thread).toEqual({
        id: thread,
        viewerFollows: false,
        viewerBookmarked: false,
      });
      for (let i = 0; i < 2; i++) {
        const { followThread } = await dataOf(follow(peter, thread, false));
        expect(followThread.viewerFollows).toBe(false);
      }
      expect(await rows()).toBe(0);
    });

    it('stores a keyed token, the thread and a sealed reference: no account id, no time', async () => {
      await dataOf(follow(milton, publicThreads[1]));
      const [row] = await store('content').query<Array<Record<string, unknown>>>(
        `SELECT * FROM ${tableName(store('content'), store('content').getMetadata(ThreadFollowEntity).tablePath)}`,
      );
      expect(Object.keys(row).sort()).toEqual(['follow_token', 'sealed_ref', 'thread_id']);
      const account = await accountOf(milton);
      expect(JSON.stringify(row)).not.toContain(account);
      await dataOf(follow(milton, publicThreads[1], false));
    });

    it('answers NOT_FOUND for a thread the member cannot read, and UNAUTHENTICATED to visitors', async () => {
      expect(codeOf(await follow(hank, initechThread))).toBe('NOT_FOUND');
      expect(codeOf(await follow(hank, MISSING))).toBe('NOT_FOUND');
      expect(codeOf(await env.app.gql(FOLLOW, { id: publicThreads[0] }))).toBe('UNAUTHENTICATED');
      expect(
        await store('content')
          .getRepository(ThreadFollowEntity)
          .countBy({ threadId: initechThread }),
      ).toBe(0);
    });

    it('shows viewerFollows on every thread of a list', async () => {
      await dataOf(follow(peter, publicThreads[2]));
      await dataOf(follow(peter, publicThreads[4]));
      const { home } = await dataOf(
        peter.gql<{ home: { edges: Array<{ node: Flags }> } }>(
          '{ home(first: 50, order: NEW) { edges { node { id viewerFollows viewerBookmarked } } } }',
        ),
      );
      const followed = home.edges.filter((e) => e.node.viewerFollows).map((e) => e.node.id);
      expect(followed.sort()).toEqual([publicThreads[2], publicThreads[4]].sort());
    });
  });

  describe('bookmarkThread and bookmarks', () => {
    it('lists bookmarks newest first, page by page, and removes them', async () => {
      for (const id of publicThreads) await dataOf(bookmark(milton, id));
      // Bookmarking again changes nothing, not even the order.
      const { bookmarkThread } = await dataOf(bookmark(milton, publicThreads[2]));
      expect(bookmarkThread).toEqual({
        id: publicThreads[2],
        viewerFollows: false,
        viewerBookmarked: true,
      });
      const newestFirst = [...publicThreads].reverse();
      expect(await allBookmarks(milton, 2)).toEqual(newestFirst);
      expect(await allBookmarks(milton, 100)).toEqual(newestFirst);
      const first = (await dataOf(bookmarks(milton, 2))).bookmarks;
      expect(first.edges.every((e) => e.node.viewerBookmarked)).toBe(true);
      expect(first.pageInfo.hasNextPage).toBe(true);
      // A page after a bookmark that was removed meanwhile goes on from its place.
      await dataOf(bookmark(milton, first.edges[1].node.id, false));
      const next = (await dataOf(bookmarks(milton, 2, first.pageInfo.endCursor))).bookmarks;
      expect(next.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(2, 4));
      expect(await allBookmarks(milton, 3)).toEqual(newestFirst.filter((_, i) => i !== 1));
      // Others have their own list.
      expect((await dataOf(bookmarks(hank, 10))).bookmarks.edges).toEqual([]);
    });

    it('refuses a cursor of another list or a made-up one', async () => {
      const mine = (await dataOf(bookmarks(milton, 1))).bookmarks.pageInfo.endCursor!;
      for (const after of [mine, 'not-a-cursor']) {
        const res = await bookmarks(hank, 1, after);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions?.fields).toEqual(['after']);
      }
      expect(codeOf(await bookmarks(milton, 0))).toBe('BAD_USER_INPUT');
    });

    it('skips bookmarks of threads the member can no longer read', async () => {
      await dataOf(bookmark(milton, initechThread));
      expect((await allBookmarks(milton, 10))[0]).toBe(initechThread);
      const { viewer } = await dataOf(
        milton.gql<{ viewer: { memberships: Array<{ company: { id: string } }> } }>(
          '{ viewer { memberships { company { id } } } }',
        ),
      );
      await dataOf(
        milton.gql('mutation ($c: ID!) { leaveCompany(companyId: $c) { roles } }', {
          c: viewer.memberships[0].company.id,
        }),
      );
      const after = await allBookmarks(milton, 2);
      expect(after).not.toContain(initechThread);
      expect(after.length).toBeGreaterThan(0);
      expect(codeOf(await bookmark(milton, initechThread, false))).toBe('NOT_FOUND');
      expect(codeOf(await bookmark(hank, initechThread))).toBe('NOT_FOUND');
      expect(codeOf(await env.app.gql(BOOKMARKS, { first: 5 }))).toBe('UNAUTHENTICATED');
    });

    it('keeps one sealed record per account whose length does not count the bookmarks', async () => {
      const records = store('identity').getRepository(BookmarkRecordEntity);
      const account = await accountOf(peter);
      await dataOf(bookmark(peter, publicThreads[0]));
      const one = (await records.findOneByOrFail({ accountId: account })).payload;
      await dataOf(bookmark(peter, publicThreads[1]));
      await dataOf(bookmark(peter, publicThreads[3]));
      const three = (await records.findOneByOrFail({ accountId: account })).payload;
      expect(three.length).toBe(one.length);
      expect(three).not.toBe(one);
      for (const id of publicThreads) expect(three).not.toContain(id);
      expect(await records.countBy({ accountId: account })).toBe(1);
      // A record moved onto another account does not open there.
      const hankAccount = await accountOf(hank);
      await records.save({ accountId: hankAccount, payload: three, changedOn: new Date(0) });
      expect((await dataOf(bookmarks(hank, 10))).bookmarks.edges).toEqual([]);
      await records.delete({ accountId: hankAccount });
    });

    it(`refuses a bookmark past ${BOOKMARK_CAP} with BOOKMARK_LIMIT, after dropping unreadable ones`, async () => {
      const hankAccount = await accountOf(hank);
      const service = env.app.app.get(BookmarksService);
      // A full list: one readable thread and ids of threads that do not exist.
      await service.set(hankAccount, publicThreads[0], true, () => Promise.resolve(new Set()));
      for (let i = 0; i < BOOKMARK_CAP - 1; i++) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        await service.set(hankAccount, id, true, () => Promise.resolve(new Set()));
      }
      expect((await service.list(hankAccount)).length).toBe(BOOKMARK_CAP);
      // The ids of threads the member cannot read are dropped to make room.
      const { bookmarkThread } = await dataOf(bookmark(hank, publicThreads[1]));
      expect(bookmarkThread.viewerBookmarked).toBe(true);
      expect(await service.list(hankAccount)).toEqual([publicThreads[1], publicThreads[0]]);
      // A list still full after that refuses the bookmark and stays as it was.
      for (let i = 0; i < BOOKMARK_CAP - 2; i++) {
        const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
        await service.set(hankAccount, id, true, () => Promise.resolve(new Set()));
      }
      const before = await service.list(hankAccount);
      await expect(
        service.set(hankAccount, publicThreads[3], true, (ids) => Promise.resolve(new Set(ids))),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { reason: 'BOOKMARK_LIMIT' } });
      expect(await service.list(hankAccount)).toEqual(before);
      // Removing one is always possible.
      await dataOf(bookmark(hank, publicThreads[1], false));
      expect((await service.list(hankAccount)).length).toBe(BOOKMARK_CAP - 1);
    }, 120_000);
  });
});
