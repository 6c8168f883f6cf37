import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { countStatements } from '../../utils/sql-statements';
import { VotesService } from '../../../src/discussions/votes/votes.service';
import { DiscussionLoaders } from '../../../src/discussions/discussion.loaders';
import { CursorCipher } from '../../../src/infrastructure/crypto/cursor-cipher';

const FEED = `query ($first: Int!, $order: ThreadOrder, $window: TopWindow) {
  board(slug: "general") {
    threads(first: $first, order: $order, window: $window) {
      edges { cursor node { id title score viewerVote commentCount createdAt board { slug }
        author { handle employerLabel isOriginalPoster isViewer } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface Feed {
  board: { threads: { edges: Array<{ node: { id: string; title: string } }> } };
}

describe('Board feeds', () => {
  let env: IdentityTestApp;
  let member: SignedInClient;
  let voter: SignedInClient;
  const ids: string[] = [];

  beforeAll(async () => {
    // Every page computed: what is counted here is the computed page's work (members' shared
    // answers have their own spec, member-answers.e2e-spec.ts).
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      MEMBER_CACHE_MS: '0',
    });
    const { app, smtp, admin } = env;
    await createGeneralBoard(admin);
    member = await signUpMember(app, smtp);
    expect(
      (await verifyEmployer(app, smtp, member, 'peter@initech.example')).errors,
    ).toBeUndefined();
    const boardId = (
      await member.gql<{ board: { id: string } }>('{ board(slug: "general") { id } }')
    ).data!.board.id;
    for (let i = 0; i < 12; i++) {
      const res = await member.gql<{ createThread: { thread: { id: string } } }>(
        'mutation ($b: ID!, $t: String!) { createThread(input: { boardId: $b, title: $t, body: "text" }) { thread { id } } }',
        { b: boardId, t: `thread ${i}` },
      );
      ids.push(res.data!.createThread.thread.id);
    }
    // Votes come from another member: nobody votes on their own posts.
    voter = await signUpMember(app, smtp);
    expect(
      (await verifyEmployer(app, smtp, voter, 'michael@initech.example')).errors,
    ).toBeUndefined();
    for (const [i, value] of [
      [0, 1],
      [1, -1],
      [11, 1],
    ] as const) {
      await voter.gql('mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }', {
        c: ids[i],
        v: value,
      });
    }
  });
  afterAll(async () => env.close());

  it('costs the same number of SQL statements for a page of 2 and a page of 12', async () => {
    let small: Feed | undefined;
    let large: Feed | undefined;
    // The member's session is checked once here and then served from the principal cache, so
    // that neither count below includes the session's statements.
    await member.gql('{ serverInfo { version } }');
    const few = await countStatements(env.app, async () => {
      small = (await member.gql<Feed>(FEED, { first: 2 })).data!;
    });
    const many = await countStatements(env.app, async () => {
      large = (await member.gql<Feed>(FEED, { first: 12 })).data!;
    });
    expect(small!.board.threads.edges).toHaveLength(2);
    expect(large!.board.threads.edges).toHaveLength(12);
    expect(many).toBe(few);
    expect(few).toBeGreaterThan(0);
    expect(few).toBeLessThanOrEqual(12);
  });

  it("answers a page's viewerVote and board as each thread does alone, read only when asked", async () => {
    // Named and inline fragments, an alias: the page's fill must find the field through them.
    const page = `query ($first: Int!) {
      board(slug: "general") { threads(first: $first) { ...Page } }
      home(first: $first) { edges { node { id ... on Thread { mine: viewerVote board { slug } } } } }
    }
    fragment Page on ThreadConnection { edges { node { ...Item } } }
    fragment Item on Thread { id viewerVote board { slug } }`;
    interface Page {
      board: {
        threads: {
          edges: Array<{ node: { id: string; viewerVote: number; board: { slug: string } } }>;
        };
      };
      home: { edges: Array<{ node: { id: string; mine: number; board: { slug: string } } }> };
    }
    const votes = new Map([
      [ids[0], 1],
      [ids[1], -1],
      [ids[11], 1],
    ]);
    for (const [reader, own] of [
      [voter, votes],
      [member, new Map<string, number>()],
    ] as const) {
      const res = await reader.gql<Page>(page, { first: 12 });
      expect(res.errors).toBeUndefined();
      const feed = res.data!.board.threads.edges.map((e) => e.node);
      const home = res.data!.home.edges.map((e) => e.node);
      expect(feed.map((n) => n.id).sort()).toEqual([...ids].sort());
      expect(home.map((n) => n.id).sort()).toEqual([...ids].sort());
      for (const node of feed) {
        expect(node).toEqual({
          id: node.id,
          viewerVote: own.get(node.id) ?? 0,
          board: { slug: 'general' },
        });
      }
      for (const node of home) {
        expect(node).toEqual({
          id: node.id,
          mine: own.get(node.id) ?? 0,
          board: { slug: 'general' },
        });
      }
      // A thread read alone is not filled by a page: its field resolver answers the same.
      for (const id of [ids[0], ids[1], ids[5]]) {
        const alone = await reader.gql<{ thread: { viewerVote: number } }>(
          'query ($id: ID!) { thread(id: $id) { viewerVote } }',
          { id },
        );
        expect(alone.data!.thread.viewerVote).toBe(own.get(id) ?? 0);
      }
    }
    // The viewer's votes are read once for a page that asks for them, not for one that does not.
    // The page answers it as a property: Thread's field resolver (and its loader) is not called,
    // while a thread read alone still goes through it.
    const reads = jest.spyOn(VotesService.prototype, 'viewerVotes');
    const perThread = jest.spyOn(DiscussionLoaders.prototype, 'viewerVote');
    try {
      await voter.gql('{ board(slug: "general") { threads(first: 5) { edges { node { id } } } } }');
      expect(reads).not.toHaveBeenCalled();
      await voter.gql(
        '{ board(slug: "general") { threads(first: 5) { edges { node { id viewerVote } } } } }',
      );
      expect(reads).toHaveBeenCalledTimes(1);
      expect(reads.mock.calls[0][1]).toHaveLength(5);
      expect(perThread).not.toHaveBeenCalled();
      await voter.gql('query ($id: ID!) { thread(id: $id) { viewerVote } }', { id: ids[0] });
      expect(perThread).toHaveBeenCalledTimes(1);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
      perThread.mockRestore();
    }
  });

  it("seals a kept page's cursors once for all its readers, and they continue the feed for each (issue 25)", async () => {
    const PAGE = `query ($after: String) {
      board(slug: "general") {
        threads(first: 5, after: $after) {
          edges { cursor node { id } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    interface Page {
      board: {
        threads: {
          edges: Array<{ cursor: string; node: { id: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    }
    const read = async (who: SignedInClient, after: string | null = null) => {
      const res = await who.gql<Page>(PAGE, { after });
      expect(res.errors).toBeUndefined();
      return res.data!.board.threads;
    };
    const seals = jest.spyOn(CursorCipher.prototype, 'seal');
    let first: Page['board']['threads'];
    let again: Page['board']['threads'];
    try {
      // Two readers of the same page at once read the same kept rows (the second shares the
      // first's read, or finds it kept for FEED_PAGE_CACHE_MS): the five edges' cursors are
      // sealed once, not once per reader.
      [first, again] = await Promise.all([read(member), read(voter)]);
      expect(seals).toHaveBeenCalledTimes(5);
    } finally {
      seals.mockRestore();
    }
    expect(again).toEqual(first);
    expect(first.pageInfo.endCursor).toBe(first.edges[4].cursor);
    // Each reader goes on from the shared cursors as from their own: the next page, or the
    // threads after any edge.
    const ids = first.edges.map((e) => e.node.id);
    const nextOfMember = await read(member, first.pageInfo.endCursor);
    const nextOfVoter = await read(voter, again.pageInfo.endCursor);
    expect(nextOfVoter.edges.map((e) => e.node.id)).toEqual(
      nextOfMember.edges.map((e) => e.node.id),
    );
    expect(nextOfMember.edges).toHaveLength(5);
    expect(nextOfMember.edges.filter((e) => ids.includes(e.node.id))).toEqual([]);
    const afterSecond = await read(voter, first.edges[1].cursor);
    expect(afterSecond.edges.slice(0, 3).map((e) => e.node.id)).toEqual(ids.slice(2));
  });

  it('limits TOP to a window of time', async () => {
    // Age the best-scored thread by two days, straight in the content store.
    const content = env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
    await content
      .getRepository(ThreadEntity)
      .update({ id: ids[0] }, { createdAt: new Date(Date.now() - 2 * 86_400_000) });
    const top = async (window: string) =>
      (
        await member.gql<Feed>(FEED, { first: 3, order: 'TOP', window })
      ).data!.board.threads.edges.map((e) => e.node.id);
    // ids[0] and ids[11] share the best score (+1); both lead the all-time list.
    expect((await top('ALL')).slice(0, 2).sort()).toEqual([ids[0], ids[11]].sort());
    expect(await top('WEEK')).toContain(ids[0]);
    const day = await top('DAY');
    expect(day).not.toContain(ids[0]);
    expect(day[0]).toBe(ids[11]);
  });
});
