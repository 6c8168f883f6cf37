import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dumpStore } from '../../utils/store-dump';
import type { TestApp } from '../../utils/test-app';

/**
 * Idempotency tokens per mutation and target (docs/anonymity.md, "Idempotency tokens"): one
 * member reusing one clientMutationId on a thread and on a comment elsewhere must not leave the
 * same token on both rows (a copy of the content store would link the two posts), while a retry
 * of the same mutation on the same target still returns the first post.
 */
describe('Idempotency tokens link no two posts', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let member: SignedInClient;
  let other: SignedInClient;
  let boardA: string;
  let boardB: string;

  const createThread = async (who: SignedInClient, input: Record<string, unknown>) =>
    (
      await dataOf(
        who.gql<{ createThread: { thread: { id: string }; clientMutationId: string | null } }>(
          'mutation ($i: CreateThreadInput!) { createThread(input: $i) { clientMutationId thread { id } } }',
          { i: input },
        ),
      )
    ).createThread;
  const createComment = async (who: SignedInClient, input: Record<string, unknown>) =>
    (
      await dataOf(
        who.gql<{ createComment: { comment: { id: string }; clientMutationId: string | null } }>(
          'mutation ($i: CreateCommentInput!) { createComment(input: $i) { clientMutationId comment { id } } }',
          { i: input },
        ),
      )
    ).createComment;
  const content = () => sut.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));
  const threadKey = async (id: string) =>
    (await content().getRepository(ThreadEntity).findOneByOrFail({ id })).idempotencyKey;
  const commentKey = async (id: string) =>
    (await content().getRepository(CommentEntity).findOneByOrFail({ id })).idempotencyKey;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' });
    ({ app: sut } = env);
    boardA = await createGeneralBoard(env.admin);
    boardB = (
      await dataOf(
        env.admin.gql<{ createBoard: { id: string } }>(
          'mutation { createBoard(slug: "elsewhere", name: "Elsewhere", jurisdiction: "US") { id } }',
        ),
      )
    ).createBoard.id;
    [member, other] = await Promise.all([signUpMember(sut, env.smtp), signUpMember(sut, env.smtp)]);
    for (const [who, work] of [
      [member, 'member@initech.example'],
      [other, 'other@initech.example'],
    ] as const) {
      expect((await verifyEmployer(sut, env.smtp, who, work)).errors).toBeUndefined();
    }
  });
  afterAll(async () => env?.close());

  it('gives one clientMutationId used for a thread and for a comment elsewhere unrelated tokens', async () => {
    const elsewhere = await createThread(other, { boardId: boardB, title: 'Elsewhere', body: 'b' });
    const reused = 'my-usual-id';

    const thread = await createThread(member, {
      boardId: boardA,
      title: 'On A',
      body: 'b',
      clientMutationId: reused,
    });
    const comment = await createComment(member, {
      threadId: elsewhere.thread.id,
      body: 'On another thread',
      clientMutationId: reused,
    });
    expect(thread.clientMutationId).toBe(reused);
    expect(comment.clientMutationId).toBe(reused);

    const tokens = [await threadKey(thread.thread.id), await commentKey(comment.comment.id)];
    expect(tokens.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(tokens[0]).not.toBe(tokens[1]);
    // The client's value itself is stored nowhere.
    expect(await dumpStore(content())).not.toContain(reused);

    // Retries of the same mutation on the same target still find the first post.
    const threadAgain = await createThread(member, {
      boardId: boardA,
      title: 'On A',
      body: 'b',
      clientMutationId: reused,
    });
    expect(threadAgain.thread.id).toBe(thread.thread.id);
    const commentAgain = await createComment(member, {
      threadId: elsewhere.thread.id,
      body: 'On another thread',
      clientMutationId: reused,
    });
    expect(commentAgain.comment.id).toBe(comment.comment.id);
    expect(await content().getRepository(ThreadEntity).countBy({ title: 'On A' })).toBe(1);
  });

  it('keys a token by its target: the same value on another board, thread or parent is a new post', async () => {
    const reused = 'per-target';
    const onA = await createThread(member, {
      boardId: boardA,
      title: 'A',
      body: 'b',
      clientMutationId: reused,
    });
    const onB = await createThread(member, {
      boardId: boardB,
      title: 'B',
      body: 'b',
      clientMutationId: reused,
    });
    expect(onB.thread.id).not.toBe(onA.thread.id);

    const top = await createComment(member, {
      threadId: onA.thread.id,
      body: 'top',
      clientMutationId: reused,
    });
    const reply = await createComment(member, {
      threadId: onA.thread.id,
      parentId: top.comment.id,
      body: 'reply',
      clientMutationId: reused,
    });
    const onOtherThread = await createComment(member, {
      threadId: onB.thread.id,
      body: 'top',
      clientMutationId: reused,
    });
    const ids = [top, reply, onOtherThread].map((c) => c.comment.id);
    expect(new Set(ids).size).toBe(3);

    const tokens = [
      await threadKey(onA.thread.id),
      await threadKey(onB.thread.id),
      ...(await Promise.all(ids.map(commentKey))),
    ];
    expect(new Set(tokens).size).toBe(5);

    // Another member's same value on the same target is theirs alone.
    const theirs = await createThread(other, {
      boardId: boardA,
      title: 'A',
      body: 'b',
      clientMutationId: reused,
    });
    expect(theirs.thread.id).not.toBe(onA.thread.id);
  });
});
