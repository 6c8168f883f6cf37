import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE, IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';
import { onPostgres } from '../../utils/test-env';
import { NO_RATE_LIMITS } from './forum-world';
import { checkStoreInvariants } from './store-invariants';

const CREATE_THREAD = `mutation ($input: CreateThreadInput!) {
  createThread(input: $input) { clientMutationId thread { id commentCount author { handle } } }
}`;
const CREATE_COMMENT = `mutation ($input: CreateCommentInput!) {
  createComment(input: $input) { clientMutationId comment { id author { handle } } }
}`;
const VOTE = 'mutation ($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }';
const EDIT_COMMENT =
  'mutation ($id: ID!, $b: String!) { editComment(id: $id, body: $b) { comment { id status } } }';
const DELETE_COMMENT = 'mutation ($id: ID!) { deleteComment(id: $id) }';
const EDIT_THREAD =
  'mutation ($id: ID!, $b: String!) { editThread(id: $id, body: $b) { thread { id status } } }';
const DELETE_THREAD = 'mutation ($id: ID!) { deleteThread(id: $id) }';
const THREAD = 'query ($id: ID!) { thread(id: $id) { id status commentCount score } }';

/** Codes other than success or NOT_FOUND (the edit or delete that lost the race). */
const unexpectedCodes = (answers: Array<GraphqlResponse<unknown>>): unknown[] =>
  answers
    .map((res) => res.errors?.[0]?.extensions?.code ?? 'OK')
    .filter((code) => code !== 'OK' && code !== 'NOT_FOUND');

const errorsOf = (res: GraphqlResponse<unknown>) =>
  res.status === 200 && res.errors === undefined
    ? null
    : { status: res.status, errors: res.errors };

/**
 * Concurrent writers over HTTP (project issue 9), on the store the environment selects.
 * test/integration/database/transaction-runner.int-spec.ts overlaps transactions below HTTP and
 * discussions.e2e-spec.ts sends two concurrent retries; this sends 50 writers at once (threads,
 * comments, votes on shared targets), 20 identical retries at once, and an author's edit racing
 * their own delete — then checks the stores.
 */
describe(`Concurrent writers over HTTP (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  let env: IdentityTestApp;
  let members: SignedInClient[];
  let boardId: string;
  let stores: { identity: DataSource; content: DataSource };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Busyco', slug: 'busyco' }, undefined, {
      ...NO_RATE_LIMITS,
    });
    boardId = await createGeneralBoard(env.admin);
    members = await Promise.all(Array.from({ length: 10 }, () => signUpMember(env.app, env.smtp)));
    for (const [i, member] of members.entries())
      expect(
        (await verifyEmployer(env.app, env.smtp, member, `w${i}@busyco.example`)).errors,
      ).toBeUndefined();
    stores = {
      identity: env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE)),
      content: env.app.app.get<DataSource>(getDataSourceToken(CONTENT_STORE)),
    };
  }, 120_000);
  afterAll(async () => env?.close());

  const thread = async (member: SignedInClient, title: string) =>
    (
      await dataOf(
        member.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
          input: { boardId, title, body: `${title}, the body` },
        }),
      )
    ).createThread.thread.id;
  const comment = async (member: SignedInClient, threadId: string, body: string) =>
    (
      await dataOf(
        member.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
          input: { threadId, body },
        }),
      )
    ).createComment.comment.id;

  it('takes 50 concurrent writers (threads, comments, votes on shared targets) without an error, three times over', async () => {
    const shared = [await thread(members[0], 'Shared A'), await thread(members[1], 'Shared B')];
    const sharedComment = await comment(members[2], shared[0], 'Shared comment');
    for (let wave = 0; wave < 3; wave++) {
      const writes = Array.from({ length: 50 }, (_, i) => {
        const member = members[i % members.length];
        switch (i % 5) {
          case 0:
            return member.gql(CREATE_THREAD, {
              input: { boardId, title: `Wave ${wave} writer ${i}`, body: 'Concurrent' },
            });
          case 1:
          case 2:
            return member.gql(CREATE_COMMENT, {
              input: { threadId: shared[i % 2], body: `Wave ${wave} comment ${i}` },
            });
          case 3:
            return member.gql(VOTE, { c: shared[i % 2], v: wave % 2 === 0 ? 1 : -1 });
          default:
            return member.gql(VOTE, { c: sharedComment, v: ((i + wave) % 3) - 1 });
        }
      });
      const answers = await Promise.all(writes);
      expect(answers.map(errorsOf).filter((e) => e !== null)).toEqual([]);
    }
    expect(await stores.content.getRepository(ThreadEntity).countBy({ body: 'Concurrent' })).toBe(
      30,
    );
    for (const id of shared) {
      const seen = await dataOf(
        members[3].gql<{ thread: { commentCount: number; score: number } }>(THREAD, { id }),
      );
      const published = await stores.content
        .getRepository(CommentEntity)
        .countBy({ threadId: id, status: 'PUBLISHED' as never });
      expect(seen.thread.commentCount).toBe(published);
    }
    // One vote per person: however the votes interleaved, a score is at most the voter count.
    const a = await dataOf(
      members[3].gql<{ thread: { score: number } }>(THREAD, { id: shared[0] }),
    );
    expect(Math.abs(a.thread.score)).toBeLessThanOrEqual(members.length);
    expect(await checkStoreInvariants(stores)).toEqual([]);
    // Each member's concurrent posts each took a slot of their own: every post is listed to
    // its author exactly once.
    const listed = { threads: [] as string[], comments: [] as string[] };
    for (const member of members) {
      const { viewer } = await dataOf(
        member.gql<{
          viewer: Record<'threads' | 'comments', { edges: Array<{ node: { id: string } }> }>;
        }>(
          '{ viewer { threads(first: 100) { edges { node { id } } } comments(first: 100) { edges { node { id } } } } }',
        ),
      );
      for (const list of ['threads', 'comments'] as const)
        listed[list].push(...viewer[list].edges.map((e) => e.node.id));
    }
    const stored = {
      threads: (await stores.content.getRepository(ThreadEntity).find()).map((t) => t.id),
      comments: (await stores.content.getRepository(CommentEntity).find()).map((c) => c.id),
    };
    for (const list of ['threads', 'comments'] as const)
      expect([...listed[list]].sort()).toEqual([...stored[list]].sort());
  });

  it('creates one thread and one comment for 20 identical retries sent at once', async () => {
    const [author, other] = members;
    const input = {
      boardId,
      title: 'Twenty retries',
      body: 'Once only',
      clientMutationId: 'burst-1',
    };
    const threads = await Promise.all(
      Array.from({ length: 20 }, () =>
        author.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { input }),
      ),
    );
    expect(threads.map(errorsOf).filter((e) => e !== null)).toEqual([]);
    const ids = new Set(threads.map((r) => r.data!.createThread.thread.id));
    expect(ids.size).toBe(1);
    const repo = stores.content.getRepository(ThreadEntity);
    expect(await repo.countBy({ title: 'Twenty retries' })).toBe(1);
    // The same key from someone else is theirs: a second row.
    await dataOf(other.gql(CREATE_THREAD, { input }));
    expect(await repo.countBy({ title: 'Twenty retries' })).toBe(2);

    const [threadId] = ids;
    const commentInput = { threadId, body: 'Said once', clientMutationId: 'burst-2' };
    const comments = await Promise.all(
      Array.from({ length: 20 }, () =>
        author.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
          input: commentInput,
        }),
      ),
    );
    expect(comments.map(errorsOf).filter((e) => e !== null)).toEqual([]);
    expect(new Set(comments.map((r) => r.data!.createComment.comment.id)).size).toBe(1);
    expect(await stores.content.getRepository(CommentEntity).countBy({ body: 'Said once' })).toBe(
      1,
    );
    const seen = await dataOf(
      author.gql<{ thread: { commentCount: number } }>(THREAD, { id: threadId }),
    );
    expect(seen.thread.commentCount).toBe(1);
    expect(await checkStoreInvariants(stores)).toEqual([]);
  });

  it('keeps a comment deleted and counted once when its author edits and deletes it at the same time', async () => {
    const [author] = members;
    const threadId = await thread(author, 'Edit or delete');
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await comment(author, threadId, `Comment ${i}`));
    // Both at once, for each comment: whichever wins, the comment ends deleted (a delete is
    // never undone by an edit that read the comment before it) and the count follows.
    const answers = await Promise.all(
      ids.flatMap((id) => [
        author.gql(EDIT_COMMENT, { id, b: 'Edited at the same time' }),
        author.gql(DELETE_COMMENT, { id }),
      ]),
    );
    expect(unexpectedCodes(answers)).toEqual([]);
    const rows = await stores.content.getRepository(CommentEntity).findBy({ threadId });
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 'DELETED'));
    const seen = await dataOf(
      author.gql<{ thread: { commentCount: number } }>(THREAD, { id: threadId }),
    );
    expect(seen.thread.commentCount).toBe(0);
    expect(await checkStoreInvariants(stores)).toEqual([]);
  });

  it('keeps a thread deleted when its author edits and deletes it at the same time', async () => {
    const [author] = members;
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await thread(author, `Edit or delete thread ${i}`));
    const answers = await Promise.all(
      ids.flatMap((id) => [
        author.gql(EDIT_THREAD, { id, b: 'Edited at the same time' }),
        author.gql(DELETE_THREAD, { id }),
      ]),
    );
    expect(unexpectedCodes(answers)).toEqual([]);
    const rows = await stores.content.getRepository(ThreadEntity).findBy(ids.map((id) => ({ id })));
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 'DELETED'));
  });
});
