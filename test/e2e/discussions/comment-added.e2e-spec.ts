import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_METRICS_TOKEN } from '../../utils/test-env';
import { HANG_MS, subscriptionCount, waitForSubscriptions } from '../../utils/wait';
import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

const SUBSCRIBE = `subscription ($t: ID!) {
  commentAdded(threadId: $t) { id body threadId: thread { id } author { handle isOriginalPoster isViewer } }
}`;

interface Added {
  commentAdded: {
    id: string;
    body: string;
    author: { handle: string; isOriginalPoster: boolean; isViewer: boolean };
  };
}

describe('commentAdded subscription over graphql-ws', () => {
  let env: IdentityTestApp;
  let alice: SignedInClient;
  let bob: SignedInClient;
  let outsider: SignedInClient;
  let publicThread: string;
  let companyThread: string;
  const clients: Client[] = [];

  const connect = (token?: string): Client => {
    const client = createClient({
      url: `${env.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };

  /** The next result of a subscription, or its error (failing after HANG_MS: a hang). */
  const next = async <T>(iterator: AsyncIterator<{ data?: T | null; errors?: unknown }>) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        iterator.next().then(
          (r) =>
            r.value as {
              data?: T | null;
              errors?: Array<{ message: string; extensions?: { code?: string } }>;
            },
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no event within ${HANG_MS} ms`)), HANG_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      COMPANY_BOARD_MIN_MEMBERS: '2',
      K_ANONYMITY_MIN: '2',
    });
    const { app, smtp, admin } = env;
    expect(
      (
        await admin.gql(
          'mutation { createBoard(slug: "general", name: "General", jurisdiction: "US") { id } }',
        )
      ).errors,
    ).toBeUndefined();
    [alice, bob, outsider] = await Promise.all([
      signUpMember(app, smtp),
      signUpMember(app, smtp),
      signUpMember(app, smtp),
    ]);
    expect(
      (await verifyEmployer(app, smtp, alice, 'alice@initech.example')).errors,
    ).toBeUndefined();
    expect((await verifyEmployer(app, smtp, bob, 'bob@initech.example')).errors).toBeUndefined();
    const boards = await alice.gql<{ boards: Array<{ id: string; slug: string; kind: string }> }>(
      '{ boards { id slug kind } }',
    );
    const board = (kind: string) => boards.data!.boards.find((b) => b.kind === kind)!.id;
    const thread = async (boardId: string) =>
      (
        await alice.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "Live", body: "Watch this" }) { thread { id } } }',
          { b: boardId },
        )
      ).data!.createThread.thread.id;
    publicThread = await thread(board('PUBLIC'));
    companyThread = await thread(board('COMPANY'));
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await env.close();
  });

  it('delivers each new comment to readers of the thread, with their own isViewer', async () => {
    const subscribed = await subscriptionCount(env.app.url, 'comment-added');
    const bobSub = connect(bob.token).iterate<Added>({
      query: SUBSCRIBE,
      variables: { t: publicThread },
    });
    const aliceSub = connect(alice.token).iterate<Added>({
      query: SUBSCRIBE,
      variables: { t: publicThread },
    });
    await waitForSubscriptions(env.app.url, 'comment-added', subscribed + 2);
    const posted = await alice.gql<{ createComment: { comment: { id: string } } }>(
      'mutation ($t: ID!) { createComment(input: { threadId: $t, body: "first!" }) { comment { id } } }',
      { t: publicThread },
    );
    const id = posted.data!.createComment.comment.id;
    const toBob = await next(bobSub);
    const toAlice = await next(aliceSub);
    expect(toBob.data?.commentAdded).toMatchObject({
      id,
      body: 'first!',
      author: { isOriginalPoster: true, isViewer: false },
    });
    expect(toAlice.data?.commentAdded).toMatchObject({
      id,
      author: { isOriginalPoster: true, isViewer: true },
    });
    expect(toBob.data?.commentAdded.author.handle).toBe(toAlice.data?.commentAdded.author.handle);
    await bobSub.return?.();
    await aliceSub.return?.();
  });

  it('reads each event afresh: what one event loaded is not served to the next', async () => {
    // The subscription's context lives as long as it does; the request loaders keyed by it
    // must not, or the second event's thread would be the first event's copy.
    const subscribed = await subscriptionCount(env.app.url, 'comment-added');
    const sub = connect(bob.token).iterate<{
      commentAdded: { body: string; thread: { commentCount: number } };
    }>({
      query: `subscription ($t: ID!) { commentAdded(threadId: $t) { body thread { commentCount } } }`,
      variables: { t: publicThread },
    });
    await waitForSubscriptions(env.app.url, 'comment-added', subscribed + 1);
    const counts: number[] = [];
    for (const body of ['one more', 'and another']) {
      const posted = await alice.gql(
        'mutation ($t: ID!, $b: String!) { createComment(input: { threadId: $t, body: $b }) { comment { id } } }',
        { t: publicThread, b: body },
      );
      expect(posted.errors).toBeUndefined();
      const event = await next(sub);
      expect(event.data?.commentAdded.body).toBe(body);
      counts.push(event.data!.commentAdded.thread.commentCount);
    }
    expect(counts[1]).toBe(counts[0] + 1);
    await sub.return?.();
  });

  it('refuses a thread the subscriber cannot read, as if it did not exist', async () => {
    const sub = connect(outsider.token).iterate({
      query: SUBSCRIBE,
      variables: { t: companyThread },
    });
    const result = await next(sub);
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses an invalid token at subscription time', async () => {
    const sub = connect('x'.repeat(43)).iterate({
      query: SUBSCRIBE,
      variables: { t: publicThread },
    });
    const result = await next(sub);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('applies the query limits to subscriptions too', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: body`).join(' ');
    const sub = connect(bob.token).iterate({
      query: `subscription ($t: ID!) { commentAdded(threadId: $t) { ${aliases} } }`,
      variables: { t: publicThread },
    });
    // graphql-ws answers a refused operation with an error message, which ends the iteration by throwing.
    const refusal: unknown = await next(sub).then(
      () => 'no error',
      (error: unknown) => error,
    );
    expect(JSON.stringify(refusal)).toMatch(/aliases limit of 15 exceeded/i);
  });

  it('applies the argument size caps to subscriptions too', async () => {
    const sub = connect(bob.token).iterate({
      query: SUBSCRIBE,
      variables: { t: 'x'.repeat(100_000) },
    });
    const refusal: unknown = await next(sub).then(
      () => 'no error',
      (error: unknown) => error,
    );
    expect(refusal).toEqual([
      expect.objectContaining({
        message: 'threadId must be at most 64 characters.',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', limit: 64 }),
      }),
    ]);
  });

  it('counts the errors of subscriptions in graphql_errors_total, as those of HTTP answers', async () => {
    const count = async (code: string) => {
      const text = await (
        await fetch(`${env.app.url}/metrics`, {
          headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
        })
      ).text();
      return Number(
        new RegExp(`^graphql_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(text)?.[1],
      );
    };
    const notFound = await count('NOT_FOUND');
    const badRequests = (await count('BAD_REQUEST')) + (await count('BAD_USER_INPUT'));
    // Refused when it starts (a thread the subscriber cannot read): a result with errors.
    const hidden = await next(
      connect(outsider.token).iterate({ query: SUBSCRIBE, variables: { t: companyThread } }),
    );
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await count('NOT_FOUND')).toBe(notFound + 1);
    // Refused by the query limits before it runs: an error message.
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: body`).join(' ');
    await next(
      connect(bob.token).iterate({
        query: `subscription ($t: ID!) { commentAdded(threadId: $t) { ${aliases} } }`,
        variables: { t: publicThread },
      }),
    ).catch(() => undefined);
    expect((await count('BAD_REQUEST')) + (await count('BAD_USER_INPUT'))).toBe(badRequests + 1);
  });
});
