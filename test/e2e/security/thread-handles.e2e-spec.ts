import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PseudonymService } from '../../../src/identity/pseudonyms/pseudonym.service';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { CONTENT_STORE } from '../../../src/infrastructure/database/stores';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ThreadHandleEntity } from '../../../src/posts/thread-handle.entity';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { TestApp } from '../../utils/test-app';

/**
 * Handles are unique within a thread (docs/anonymity.md, "Thread handles"): when the handle
 * derived for a person is already carried in the thread by someone else, they get the next of
 * their own candidates — and keep it for all their posts there. Two people's first candidates
 * rarely collide (64 × 64 words), so the test makes them: while `collide` is on, every person's
 * first candidate in every thread is the same (later candidates stay personal).
 */
describe('Thread handles are unique within a thread', () => {
  let env: IdentityTestApp;
  let sut: TestApp;
  let boardId: string;
  let alice: SignedInClient;
  let bob: SignedInClient;
  let carol: SignedInClient;
  let dave: SignedInClient;
  let collide = false;

  const createThread = async (who: SignedInClient, title: string) =>
    (
      await dataOf(
        who.gql<{ createThread: { thread: { id: string; author: { handle: string } } } }>(
          'mutation ($i: CreateThreadInput!) { createThread(input: $i) { thread { id author { handle } } } }',
          { i: { boardId, title, body: 'b' } },
        ),
      )
    ).createThread.thread;
  const comment = async (who: SignedInClient, threadId: string, body: string) =>
    (
      await dataOf(
        who.gql<{ createComment: { comment: { id: string; author: { handle: string } } } }>(
          'mutation ($i: CreateCommentInput!) { createComment(input: $i) { comment { id author { handle } } } }',
          { i: { threadId, body } },
        ),
      )
    ).createComment.comment.author.handle;
  const content = () => sut.app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

  beforeAll(async () => {
    const original = PseudonymService.prototype.threadHandle;
    jest.spyOn(PseudonymService.prototype, 'threadHandle').mockImplementation(function (
      this: PseudonymService,
      accountId,
      threadId,
      attempt = 0,
    ) {
      const who = collide && attempt === 0 ? 'everyone' : accountId;
      return original.call(this, who, threadId, attempt);
    });
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' });
    ({ app: sut } = env);
    boardId = await createGeneralBoard(env.admin);
    [alice, bob, carol, dave] = await Promise.all(
      [1, 2, 3, 4].map(() => signUpMember(sut, env.smtp)),
    );
    for (const [i, who] of [alice, bob, carol, dave].entries()) {
      const work = `person${i}@initech.example`;
      expect((await verifyEmployer(sut, env.smtp, who, work)).errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await env?.close();
  });
  afterEach(() => {
    collide = false;
  });

  it('gives a second person whose handle is taken another one, which they keep', async () => {
    collide = true;
    const thread = await createThread(alice, 'Collisions');
    const first = thread.author.handle;

    const bobs = await comment(bob, thread.id, 'first from bob');
    expect(bobs).not.toBe(first);
    expect(await comment(bob, thread.id, 'second from bob')).toBe(bobs);
    // The original poster keeps the thread's handle in their comments.
    expect(await comment(alice, thread.id, 'from the original poster')).toBe(first);

    // Two first comments at the same moment, both wanting the taken handle.
    const [carols, daves] = await Promise.all([
      comment(carol, thread.id, 'carol'),
      comment(dave, thread.id, 'dave'),
    ]);
    expect(new Set([first, bobs, carols, daves]).size).toBe(4);
    expect(await comment(carol, thread.id, 'carol again')).toBe(carols);
    expect(await comment(dave, thread.id, 'dave again')).toBe(daves);

    // In the store: one handle per author token, and every post of an author under it.
    const posts = [
      ...(await content().getRepository(ThreadEntity).findBy({ id: thread.id })),
      ...(await content().getRepository(CommentEntity).findBy({ threadId: thread.id })),
    ];
    const handleOfToken = new Map<string, Set<string>>();
    for (const post of posts) {
      const set = handleOfToken.get(post.authorToken) ?? new Set<string>();
      set.add(post.authorHandle);
      handleOfToken.set(post.authorToken, set);
    }
    expect(handleOfToken.size).toBe(4);
    expect([...handleOfToken.values()].every((set) => set.size === 1)).toBe(true);
    const rows = await content().getRepository(ThreadHandleEntity).findBy({ threadId: thread.id });
    expect(rows).toHaveLength(4);
    expect(new Map(rows.map((r) => [r.authorToken, new Set([r.handle])]))).toEqual(handleOfToken);
  });

  it('keeps the derived handle when nobody else carries it', async () => {
    const pseudonyms = sut.app.get(PseudonymService);
    const accountOf = async (who: SignedInClient) =>
      (await sut.app.get(SessionsService).resolve(who.token))!.accountId;
    const thread = await createThread(alice, 'No collision');
    expect(thread.author.handle).toBe(pseudonyms.threadHandle(await accountOf(alice), thread.id));
    const bobAccount = await accountOf(bob);
    const bobs = await comment(bob, thread.id, 'hello');
    const [derived, next] = [0, 1].map((n) => pseudonyms.threadHandle(bobAccount, thread.id, n));
    // (Should Bob's own first candidate be Alice's — once in 4,096 runs — he gets his second.)
    expect(bobs).toBe(derived === thread.author.handle ? next : derived);
    expect(await comment(alice, thread.id, 'reply')).toBe(thread.author.handle);
  });
});
