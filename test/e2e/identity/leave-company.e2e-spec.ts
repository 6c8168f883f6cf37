import { getDataSourceToken } from '@nestjs/typeorm';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { DataSource } from 'typeorm';
import { MembershipEntity } from '../../../src/identity/memberships/membership.entity';
import { IdentityRestamp } from '../../../src/identity/restamp/identity-restamp';
import { storeTable } from '../../../src/infrastructure/database/migrations/store-table';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { onPostgres } from '../../utils/test-env';
import { HANG_MS, subscriptionCount, waitForSubscriptions } from '../../utils/wait';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import type { GraphqlResponse } from '../../utils/test-app';

const LEAVE = `mutation ($c: ID!) {
  leaveCompany(companyId: $c) { roles memberships { status expiresAt company { slug } } }
}`;
const CREATE_THREAD = `mutation ($input: CreateThreadInput!) {
  createThread(input: $input) { thread { id author { employerLabel } } }
}`;
const THREAD = 'query ($id: ID!) { thread(id: $id) { id author { employerLabel } } }';
const DAY_MS = 86_400_000;

/**
 * leaveCompany: the membership turns FORMER at once, the company board closes to the leaver
 * (also later in the same request), the other members keep it, and past posts keep their
 * labels. The identity store keeps only a day.
 */
describe('Leaving a company over HTTP', () => {
  let env: IdentityTestApp;
  let general: string;
  let companyBoard: string;
  let acmeId: string;
  const members: SignedInClient[] = [];

  const codeOf = (res: GraphqlResponse<unknown>) => res.errors?.[0]?.extensions?.code;
  const post = (client: SignedInClient, boardId: string, disclosure = 'COMPANY') =>
    client.gql<{ createThread: { thread: { id: string; author: { employerLabel: string } } } }>(
      CREATE_THREAD,
      { input: { boardId, title: 'Hello', body: 'Hello there', disclosure } },
    );
  const boardOf = async (client: SignedInClient) =>
    (await client.gql<{ board: { id: string } | null }>('{ board(slug: "company-acme") { id } }'))
      .data?.board ?? null;
  const identity = () => env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Acme Corp', slug: 'acme' }, undefined, {
      COMPANY_BOARD_MIN_MEMBERS: '3',
      K_ANONYMITY_MIN: '3',
      MEMBERSHIP_COUNTS_AFTER_DAYS: '0',
    });
    general = await createGeneralBoard(env.admin);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const client = await signUpMember(env.app, env.smtp);
      expect(
        (await verifyEmployer(env.app, env.smtp, client, `${name}@acme.example`)).errors,
      ).toBeUndefined();
      members.push(client);
    }
    const companies = await env.admin.gql<{ companies: Array<{ id: string; slug: string }> }>(
      '{ companies(search: "acme") { id slug } }',
    );
    acmeId = companies.data!.companies.find((c) => c.slug === 'acme')!.id;
    // Listing boards opens the company board, now that it has enough members.
    const boards = await members[0].gql<{ boards: Array<{ id: string; slug: string }> }>(
      '{ boards { id slug } }',
    );
    companyBoard = boards.data!.boards.find((b) => b.slug === 'company-acme')!.id;
  });
  const sockets: Client[] = [];
  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    await env.close();
  });

  it('turns the membership FORMER at once and closes the company board, keeping past labels', async () => {
    const [alice, bob] = members;
    const onBoard = await post(alice, companyBoard);
    expect(onBoard.data?.createThread.thread.author.employerLabel).toBe('Acme Corp');
    const onGeneral = await post(alice, general);
    expect(onGeneral.data?.createThread.thread.author.employerLabel).toBe('Acme Corp');

    const left = await alice.gql<{
      leaveCompany: { memberships: Array<{ status: string; expiresAt: string }> };
    }>(LEAVE, { c: acmeId });
    expect(left.errors).toBeUndefined();
    expect(left.data?.leaveCompany).toMatchObject({
      roles: ['MEMBER'],
      memberships: [{ status: 'FORMER', company: { slug: 'acme' } }],
    });
    // Only the day: the expiry is today's UTC midnight.
    const expiresAt = new Date(left.data!.leaveCompany.memberships[0].expiresAt).getTime();
    expect(expiresAt % DAY_MS).toBe(0);
    expect(expiresAt).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - expiresAt).toBeLessThan(DAY_MS);

    // The board is gone for her, as if it did not exist; posting there is refused.
    expect(await boardOf(alice)).toBeNull();
    expect(
      (await alice.gql<{ boards: Array<{ slug: string }> }>('{ boards { slug } }')).data?.boards,
    ).toEqual([{ slug: 'general' }]);
    expect(codeOf(await post(alice, companyBoard))).toBe('NOT_FOUND');
    const threadId = onBoard.data!.createThread.thread.id;
    expect((await alice.gql(THREAD, { id: threadId })).data).toEqual({ thread: null });
    // Without a current membership she cannot post on public boards either.
    expect(codeOf(await post(alice, general))).toBe('FORBIDDEN');

    // The others keep the board, and her past posts keep the labels they were written with.
    expect(await boardOf(bob)).toEqual({ id: companyBoard });
    expect((await bob.gql(THREAD, { id: threadId })).data).toEqual({
      thread: { id: threadId, author: { employerLabel: 'Acme Corp' } },
    });
    const generalId = onGeneral.data!.createThread.thread.id;
    expect((await bob.gql(THREAD, { id: generalId })).data).toEqual({
      thread: { id: generalId, author: { employerLabel: 'Acme Corp' } },
    });

    // Leaving again changes nothing.
    const again = await alice.gql(LEAVE, { c: acmeId });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(left.data);
  });

  it('ends a live subscription to a company-board thread when its subscriber leaves', async () => {
    const [, bob, , , erin] = members;
    const created = await post(erin, companyBoard);
    const threadId = created.data!.createThread.thread.id;
    const socket = createClient({
      url: `${env.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${bob.token}` },
      retryAttempts: 0,
    });
    sockets.push(socket);
    const live = await subscriptionCount(env.app.url, 'comment-added');
    const events = socket.iterate<{ commentAdded: { body: string } }>({
      query: 'subscription ($t: ID!) { commentAdded(threadId: $t) { body } }',
      variables: { t: threadId },
    });
    const next = async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          events.next(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no event within ${HANG_MS} ms`)), HANG_MS);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    const comment = (body: string) =>
      erin.gql(
        'mutation ($t: ID!, $b: String!) { createComment(input: { threadId: $t, body: $b }) { comment { id } } }',
        { t: threadId, b: body },
      );
    const pending = next();
    await waitForSubscriptions(env.app.url, 'comment-added', live + 1);
    expect((await comment('While a member')).errors).toBeUndefined();
    expect((await pending).value).toEqual({ data: { commentAdded: { body: 'While a member' } } });

    expect((await bob.gql(LEAVE, { c: acmeId })).errors).toBeUndefined();
    const after = next();
    expect((await comment('After leaving')).errors).toBeUndefined();
    // The comment is not delivered: the stream ends with the error of a thread out of sight.
    const ended = await after;
    expect(JSON.stringify(ended.value)).not.toContain('After leaving');
    expect(ended.value).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect((await next()).done).toBe(true);
    // Verifying again lets bob back in for the rest of this file.
    expect(
      (await verifyEmployer(env.app, env.smtp, bob, 'bob@acme.example')).errors,
    ).toBeUndefined();
  });

  it('closes the board later in the same request', async () => {
    const dave = members[3];
    const res = await dave.gql<Record<string, unknown>>(
      `mutation ($c: ID!, $before: CreateThreadInput!, $after: CreateThreadInput!) {
        before: createThread(input: $before) { thread { id } }
        leaveCompany(companyId: $c) { memberships { status } }
        after: createThread(input: $after) { thread { id } }
      }`,
      {
        c: acmeId,
        before: { boardId: companyBoard, title: 'Before', body: 'Still here' },
        after: { boardId: companyBoard, title: 'After', body: 'Already gone' },
      },
    );
    // The refusal of the last field nulls the whole answer (its fields are non-null), but
    // the first thread was written, and the membership ended, before it.
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['after'], 'NOT_FOUND'],
    ]);
    expect(res.data).toBeNull();
    expect((await dave.gql('{ viewer { memberships { status } } }')).data?.viewer).toEqual({
      memberships: [{ status: 'FORMER' }],
    });
    const titles = await members[1].gql<{
      board: { threads: { edges: Array<{ node: { title: string } }> } };
    }>('{ board(slug: "company-acme") { threads(first: 50) { edges { node { title } } } } }');
    const written = titles.data!.board.threads.edges.map((e) => e.node.title);
    expect(written).toContain('Before');
    expect(written).not.toContain('After');
  });

  it('answers an unknown company or a company without a membership with NOT_FOUND and a reason', async () => {
    const erin = members[4];
    const created = await env.admin.gql<{ createCompany: { id: string } }>(
      'mutation { createCompany(name: "Globex", slug: "globex", domains: ["globex.example"], industry: "Energy", sizeBand: "10k+", jurisdiction: "US") { id } }',
    );
    const globexId = created.data!.createCompany.id;
    for (const [companyId, reason] of [
      ['00000000-0000-0000-0000-000000000000', 'UNKNOWN_COMPANY'],
      ['not an id at all, and longer than any id the server makes', 'UNKNOWN_COMPANY'],
      [globexId, 'NOT_A_MEMBER'],
    ]) {
      const res = await erin.gql(LEAVE, { c: companyId });
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason,
        fields: ['companyId'],
      });
    }
    // Nothing changed for her.
    expect(await boardOf(erin)).toEqual({ id: companyBoard });
    expect(codeOf(await env.app.gql(LEAVE, { c: acmeId }))).toBe('UNAUTHENTICATED');
  });

  it('writes only a day and adds no row to the identity store', async () => {
    const carol = members[2];
    const count = () => identity().getRepository(MembershipEntity).count();
    const before = await count();
    expect((await carol.gql(LEAVE, { c: acmeId })).errors).toBeUndefined();
    expect(await count()).toBe(before);
    for (const row of await identity().getRepository(MembershipEntity).find()) {
      for (const time of [row.verifiedAt, row.expiresAt, row.countsFrom])
        expect(time.getTime() % DAY_MS).toBe(0);
    }
    if (onPostgres()) {
      // The leave is re-stamped with the day's verifications: its transaction id is theirs.
      const table = storeTable(identity(), 'memberships');
      await env.app.app.get(IdentityRestamp).run();
      const ids = await identity().query<Array<{ x: string }>>(
        `SELECT DISTINCT xmin::text AS x FROM ${table}`,
      );
      expect(ids).toHaveLength(1);
    }
    // Verifying again renews it.
    const renewed = await verifyEmployer(env.app, env.smtp, carol, 'carol@acme.example');
    expect(renewed.data?.verifyEmployer.status).toBe('CURRENT');
  });
});
