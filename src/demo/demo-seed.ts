import type { INestApplication } from '@nestjs/common';
import { OPERATOR_ACTOR } from '../audit/audit-trail.service';
import { AccountsService } from '../identity/accounts/accounts.service';
import { Role } from '../infrastructure/auth/role';
import { MailService } from '../infrastructure/mail/mail.service';
import {
  DEMO_COMPANIES,
  DEMO_DRAFT_RULE,
  DEMO_MEMBERS,
  DEMO_PASSWORD,
  DEMO_PUBLIC_BOARDS,
  DEMO_RULE_SETS,
  DEMO_STAFF,
  DEMO_THREADS,
  type DemoRule,
  type DemoThread,
} from './demo-world';

/**
 * What one seeding run created (all 0 on a rerun). Posts, votes and reports are made
 * idempotently and not counted: a repeated createThread answers with the first thread.
 */
export type SeedCounts = Record<
  'accounts' | 'memberships' | 'companies' | 'boards' | 'ruleSets',
  number
>;

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

interface Answer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Fills the stores behind `app` (listening at `url`) with the demo world, through the public
 * GraphQL API as its people would: sign-up with the code mailed to them, employer
 * verification, posts, votes, reports, rule drafting and four-eyes publication. Only the
 * first admin is made in process, as `cli grant-role` does. Mail is diverted to the seeder.
 *
 * Idempotent: accounts sign in when they exist, companies, boards and rules are looked up
 * first, posts carry a clientMutationId (a repeat returns the first post), votes set a value
 * and a second report by the same member is ignored.
 */
export async function seedDemoWorld(app: INestApplication, url: string): Promise<SeedCounts> {
  const counts: SeedCounts = {
    accounts: 0,
    memberships: 0,
    companies: 0,
    boards: 0,
    ruleSets: 0,
  };
  const codes = new Map<string, string>();
  app.get(MailService).divert((message) => {
    const code = /(\d{6})/.exec(message.subject)?.[1];
    if (code !== undefined) codes.set(message.to, code);
  });

  async function call<T>(query: string, variables: object, token?: string): Promise<Answer<T>> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer<T>;
  }
  async function data<T>(query: string, variables: object = {}, token?: string): Promise<T> {
    const answer = await call<T>(query, variables, token);
    if (answer.errors !== undefined || answer.data === undefined || answer.data === null)
      throw new SeedError(`${query.split('(')[0]?.trim()}: ${JSON.stringify(answer.errors)}`);
    return answer.data;
  }
  /** A code mailed to `email`, requested as `token` (verifyEmployer) or signed out (signUp). */
  async function mailedCode(email: string, token?: string): Promise<string> {
    codes.delete(email);
    await data('mutation ($e: String!) { requestEmailCode(email: $e) }', { e: email }, token);
    // The code is sent after the answer; wait for the diverted message.
    for (let i = 0; i < 200 && !codes.has(email); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const code = codes.get(email);
    if (code === undefined) throw new SeedError(`no code was mailed to ${email}`);
    return code;
  }

  /** Signs in, or signs up the first time. */
  async function account(email: string, jurisdiction: string): Promise<string> {
    const signIn = await call<{ signIn: { token: string } }>(
      'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
      { e: email, p: DEMO_PASSWORD },
    );
    if (signIn.data?.signIn !== undefined) return signIn.data.signIn.token;
    if (signIn.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED')
      throw new SeedError(`signIn ${email}: ${JSON.stringify(signIn.errors)}`);
    const code = await mailedCode(email);
    const { signUp } = await data<{ signUp: { token: string } }>(
      'mutation ($e: String!, $c: String!, $p: String!, $j: String!) { signUp(email: $e, code: $c, password: $p, jurisdiction: $j) { token } }',
      { e: email, c: code, p: DEMO_PASSWORD, j: jurisdiction },
    );
    counts.accounts += 1;
    return signUp.token;
  }

  // Staff: the admin made as an operator would, the others granted by the admin.
  const staff = new Map<string, string>();
  for (const person of DEMO_STAFF)
    staff.set(person.email, await account(person.email, person.jurisdiction));
  const adminEmail = DEMO_STAFF.find((person) => person.roles.includes('ADMIN'))?.email ?? '';
  await app.get(AccountsService).grantRole(adminEmail, Role.ADMIN, OPERATOR_ACTOR);
  const admin = staff.get(adminEmail) ?? '';
  for (const person of DEMO_STAFF)
    for (const role of person.roles)
      if (role !== 'ADMIN')
        await data(
          'mutation ($e: String!, $r: Role!) { grantRole(email: $e, role: $r) }',
          { e: person.email, r: role },
          admin,
        );
  const officer = staff.get('officer@demo.example.org') ?? '';
  const reviewer = staff.get('reviewer@demo.example.org') ?? '';

  // Companies and public boards.
  for (const company of DEMO_COMPANIES) {
    const { companies } = await data<{ companies: Array<{ slug: string }> }>(
      'query ($s: String!) { companies(search: $s) { slug } }',
      { s: company.slug },
    );
    if (companies.some((found) => found.slug === company.slug)) continue;
    await data(
      `mutation ($name: String!, $slug: String!, $domains: [String!]!, $industry: String!, $size: String!, $j: String!) {
        createCompany(name: $name, slug: $slug, domains: $domains, industry: $industry, sizeBand: $size, jurisdiction: $j) { id }
      }`,
      {
        name: company.name,
        slug: company.slug,
        domains: [company.domain],
        industry: company.industry,
        size: company.sizeBand,
        j: company.jurisdiction,
      },
      admin,
    );
    counts.companies += 1;
  }
  const boardIds = new Map<string, string>();
  for (const board of DEMO_PUBLIC_BOARDS) {
    const found = await data<{ board: { id: string } | null }>(
      'query ($s: String!) { board(slug: $s) { id } }',
      { s: board.slug },
      admin,
    );
    if (found.board !== null) {
      boardIds.set(board.slug, found.board.id);
      continue;
    }
    const { createBoard } = await data<{ createBoard: { id: string } }>(
      'mutation ($s: String!, $n: String!, $j: String!) { createBoard(slug: $s, name: $n, jurisdiction: $j) { id } }',
      { s: board.slug, n: board.name, j: board.jurisdiction },
      admin,
    );
    boardIds.set(board.slug, createBoard.id);
    counts.boards += 1;
  }

  // Members, each verified at their employer.
  const members = new Map<string, string>();
  for (const member of DEMO_MEMBERS) {
    const token = await account(`${member.name}@demo.example.org`, member.jurisdiction);
    members.set(member.name, token);
    const { viewer } = await data<{
      viewer: { memberships: Array<{ company: { slug: string } }> };
    }>('{ viewer { memberships { company { slug } } } }', {}, token);
    if (viewer.memberships.some((m) => m.company.slug === member.company)) continue;
    const domain = DEMO_COMPANIES.find((c) => c.slug === member.company)?.domain ?? '';
    const workEmail = `${member.name}@${domain}`;
    const code = await mailedCode(workEmail, token);
    await data(
      'mutation ($e: String!, $c: String!) { verifyEmployer(email: $e, code: $c) { status } }',
      { e: workEmail, c: code },
      token,
    );
    counts.memberships += 1;
  }
  const tokenOf = (name: string): string => {
    const token = members.get(name);
    if (token === undefined) throw new SeedError(`unknown demo member ${name}`);
    return token;
  };

  // Rule sets: drafted by the officer, published by the reviewer (four eyes), then an open
  // DE draft left for the reviewer to try the console on.
  for (const [jurisdiction, rules] of Object.entries(DEMO_RULE_SETS)) {
    if (await publishedVersion(jurisdiction)) continue;
    const draftId = await openDraft(jurisdiction, false);
    await addMissingRules(draftId, rules);
    await data(
      'mutation ($id: ID!) { publishRuleSet(ruleSetId: $id) { version } }',
      { id: draftId },
      reviewer,
    );
    counts.ruleSets += 1;
  }
  if (!(await ruleNamed('DE', DEMO_DRAFT_RULE.name))) {
    const draftId = await openDraft('DE', true);
    await addMissingRules(draftId, [DEMO_DRAFT_RULE]);
    counts.ruleSets += 1;
  }

  // Posts, votes and reports.
  for (const thread of DEMO_THREADS) await seedThread(thread);
  return counts;

  async function versions(jurisdiction: string) {
    const { jurisdictions } = await data<{
      jurisdictions: Array<{
        code: string;
        ruleSets: Array<{ id: string; status: string; rules: Array<{ name: string }> }>;
      }>;
    }>('{ jurisdictions { code ruleSets { id status rules { name } } } }', {}, officer);
    return jurisdictions.find((j) => j.code === jurisdiction)?.ruleSets ?? [];
  }
  async function publishedVersion(jurisdiction: string): Promise<boolean> {
    return (await versions(jurisdiction)).some((version) => version.status !== 'DRAFT');
  }
  async function ruleNamed(jurisdiction: string, name: string): Promise<boolean> {
    return (await versions(jurisdiction)).some((v) => v.rules.some((rule) => rule.name === name));
  }
  async function openDraft(jurisdiction: string, copyActive: boolean): Promise<string> {
    const draft = (await versions(jurisdiction)).find((version) => version.status === 'DRAFT');
    if (draft !== undefined) return draft.id;
    const { createRuleSetDraft } = await data<{ createRuleSetDraft: { id: string } }>(
      'mutation ($j: String!, $c: Boolean) { createRuleSetDraft(jurisdiction: $j, copyActive: $c) { id } }',
      { j: jurisdiction, c: copyActive },
      officer,
    );
    return createRuleSetDraft.id;
  }
  async function addMissingRules(draftId: string, rules: readonly DemoRule[]): Promise<void> {
    const { ruleSet } = await data<{ ruleSet: { rules: Array<{ name: string }> } }>(
      'query ($id: ID!) { ruleSet(id: $id) { rules { name } } }',
      { id: draftId },
      officer,
    );
    for (const rule of rules) {
      if (ruleSet.rules.some((existing) => existing.name === rule.name)) continue;
      await data(
        'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
        { id: draftId, input: rule },
        officer,
      );
    }
  }

  async function boardIdOf(board: string, author: string): Promise<string> {
    if (!board.startsWith('company:')) {
      const id = boardIds.get(board);
      if (id === undefined) throw new SeedError(`unknown demo board ${board}`);
      return id;
    }
    const slug = board.slice('company:'.length);
    const { companies } = await data<{
      companies: Array<{ slug: string; board: { id: string } | null }>;
    }>(
      'query ($s: String!) { companies(search: $s) { slug board { id } } }',
      { s: slug },
      tokenOf(author),
    );
    const id = companies.find((company) => company.slug === slug)?.board?.id;
    if (id === undefined) throw new SeedError(`the board of ${slug} is not open`);
    return id;
  }

  /** The poll's votes; a vote is final, so a rerun finds the member's choice and skips it. */
  async function seedPollVotes(thread: DemoThread, threadId: string): Promise<void> {
    if (thread.poll?.votes === undefined) return;
    for (const [member, choice] of Object.entries(thread.poll.votes)) {
      const { thread: found } = await data<{
        thread: {
          poll: { id: string; viewerChoice: string[] | null; options: Array<{ id: string }> };
        };
      }>(
        'query ($id: ID!) { thread(id: $id) { poll { id viewerChoice options { id } } } }',
        { id: threadId },
        tokenOf(member),
      );
      if (found.poll.viewerChoice !== null) continue;
      await data(
        'mutation ($p: ID!, $o: [ID!]!) { votePoll(pollId: $p, optionIds: $o) { id } }',
        { p: found.poll.id, o: choice.map((index) => found.poll.options[index]?.id) },
        tokenOf(member),
      );
    }
  }

  async function seedThread(thread: DemoThread): Promise<void> {
    const mutationId = `demo:${thread.key}`;
    const created = await data<{
      createThread: { thread: { id: string }; clientMutationId: string };
    }>(
      `mutation ($input: CreateThreadInput!) { createThread(input: $input) { thread { id } clientMutationId } }`,
      {
        input: {
          boardId: await boardIdOf(thread.board, thread.author),
          title: thread.title,
          body: thread.body,
          disclosure: thread.disclosure ?? 'NONE',
          clientMutationId: mutationId,
          ...(thread.poll === undefined
            ? {}
            : {
                poll: {
                  question: thread.poll.question,
                  options: thread.poll.options,
                  multipleChoice: thread.poll.multipleChoice ?? false,
                },
              }),
        },
      },
      tokenOf(thread.author),
    );
    const threadId = created.createThread.thread.id;
    await seedPollVotes(thread, threadId);
    for (const member of thread.followers ?? []) {
      await data(
        'mutation ($id: ID!) { followThread(id: $id) { id } }',
        { id: threadId },
        tokenOf(member),
      );
    }
    for (const member of thread.bookmarkedBy ?? []) {
      await data(
        'mutation ($id: ID!) { bookmarkThread(id: $id) { id } }',
        { id: threadId },
        tokenOf(member),
      );
    }
    const commentIds = new Map<string, string>();
    for (const comment of thread.comments ?? []) {
      const { createComment } = await data<{ createComment: { comment: { id: string } } }>(
        `mutation ($input: CreateCommentInput!) { createComment(input: $input) { comment { id } } }`,
        {
          input: {
            threadId,
            parentId: comment.replyTo === undefined ? null : commentIds.get(comment.replyTo),
            body: comment.body,
            clientMutationId: `${mutationId}:${comment.key}`,
          },
        },
        tokenOf(comment.author),
      );
      commentIds.set(comment.key, createComment.comment.id);
    }
    for (const vote of thread.votes ?? []) {
      const down = vote.startsWith('-');
      await data(
        'mutation ($id: ID!, $v: Int!) { vote(contentId: $id, value: $v) }',
        { id: threadId, v: down ? -1 : 1 },
        tokenOf(down ? vote.slice(1) : vote),
      );
    }
    for (const reporter of thread.reports?.by ?? []) {
      await data(
        'mutation ($id: ID!, $r: ReportReason!, $d: String) { report(contentId: $id, reason: $r, details: $d) }',
        { id: threadId, r: thread.reports?.reason, d: thread.reports?.details ?? null },
        tokenOf(reporter),
      );
    }
  }
}
