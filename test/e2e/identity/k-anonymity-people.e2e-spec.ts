import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MembershipEntity } from '../../../src/identity/memberships/membership.entity';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';

/**
 * k-anonymity counts people, not accounts: variants of one work address (an employer
 * controls its domain) count once, memberships count only after MEMBERSHIP_COUNTS_AFTER_DAYS,
 * and an INDUSTRY label is used only when it names no company.
 */
describe('k-anonymity counts people', () => {
  let env: IdentityTestApp;
  let general: string;

  const identity = () => env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
  /** Every membership so far has waited long enough. */
  const ageMemberships = () =>
    identity()
      .getRepository(MembershipEntity)
      .createQueryBuilder()
      .update()
      .set({ countsFrom: new Date(0) })
      .execute();
  const boardsOf = async (client: SignedInClient) =>
    (await client.gql<{ boards: Array<{ slug: string }> }>('{ boards { slug } }')).data?.boards.map(
      (b) => b.slug,
    );
  const post = async (client: SignedInClient, disclosure: string) => {
    const res = await client.gql<{
      createThread: { labelNotice: string | null; thread: { author: { employerLabel: string } } };
    }>(
      'mutation ($input: CreateThreadInput!) { createThread(input: $input) { labelNotice thread { author { employerLabel } } } }',
      { input: { boardId: general, title: 'Hello', body: 'Hello there', disclosure } },
    );
    expect(res.errors).toBeUndefined();
    return {
      label: res.data!.createThread.thread.author.employerLabel,
      notice: res.data!.createThread.labelNotice,
    };
  };
  const member = async (work: string) => {
    const client = await signUpMember(env.app, env.smtp);
    expect((await verifyEmployer(env.app, env.smtp, client, work)).errors).toBeUndefined();
    return client;
  };

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      K_ANONYMITY_MIN: '3',
      COMPANY_BOARD_MIN_MEMBERS: '3',
      MEMBERSHIP_COUNTS_AFTER_DAYS: '7',
    });
    const board = await env.admin.gql<{ createBoard: { id: string } }>(
      'mutation { createBoard(slug: "general", name: "General", jurisdiction: "US") { id } }',
    );
    general = board.data!.createBoard.id;
  });
  afterAll(async () => env.close());

  let alice: SignedInClient;

  it('counts plus-addressed and dotted variants of one mailbox as one person', async () => {
    const accounts = [];
    for (const work of [
      'alice@initech.example',
      'alice+1@initech.example',
      'a.lice+2@initech.example',
    ])
      accounts.push(await member(work));
    alice = accounts[2];
    // One mailbox, one membership: the last account to prove it holds it.
    const held = await Promise.all(
      accounts.map(
        async (client) =>
          (
            await client.gql<{ viewer: { memberships: unknown[] } }>(
              '{ viewer { memberships { status } } }',
            )
          ).data?.viewer.memberships.length,
      ),
    );
    expect(held).toEqual([0, 0, 1]);
    await ageMemberships();
    expect(await boardsOf(alice)).toEqual(['general']);
    const { label, notice } = await post(alice, 'COMPANY');
    expect(label).not.toBe('Initech');
    expect(notice).toMatch(/fewer than 3 verified members/);
  });

  it('counts a membership only once it has aged', async () => {
    const created = await env.admin.gql(
      'mutation { createCompany(name: "Globex", slug: "globex", domains: ["globex.example"], industry: "Energy", sizeBand: "10k+", jurisdiction: "US") { id } }',
    );
    expect(created.errors).toBeUndefined();
    const people = [];
    for (const name of ['hank', 'ivy', 'jack']) people.push(await member(`${name}@globex.example`));
    expect(await boardsOf(people[0])).toEqual(['general']);
    expect((await post(people[0], 'COMPANY')).label).not.toBe('Globex');
    await ageMemberships();
    expect(await boardsOf(people[0])).toEqual(['company-globex', 'general']);
    expect(await post(people[0], 'COMPANY')).toEqual({ label: 'Globex', notice: null });
  });

  it('shows an INDUSTRY label only when several companies, with k people between them, share it', async () => {
    // Initech is alone in its industry and size band: the label would name it.
    expect(await post(alice, 'INDUSTRY')).toEqual({
      label: 'a verified employee',
      notice: expect.stringMatching(/a verified employee/),
    });
    const hooli = await env.admin.gql(
      'mutation { createCompany(name: "Hooli", slug: "hooli", domains: ["hooli.example"], industry: "Internet", sizeBand: "1k–5k", jurisdiction: "US") { id } }',
    );
    expect(hooli.errors).toBeUndefined();
    await member('kim@hooli.example');
    await member('lee@hooli.example');
    await ageMemberships();
    expect(await post(alice, 'INDUSTRY')).toEqual({
      label: 'an employee at an Internet company, 1k–5k',
      notice: null,
    });
  });
});
