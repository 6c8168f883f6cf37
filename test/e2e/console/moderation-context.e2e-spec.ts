import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { dataOf } from '../../utils/compliance-client';
import {
  CREATE_THREAD,
  expectClean,
  HOLD_WORD,
  holdRuleAndModerator,
  signedInToQueue,
  startModerationWorld,
  WAIT,
} from './moderation-world';
import { browserAvailable, screenshot } from '../../utils/browser';
import type { ConsoleWorld } from '../../utils/console-world';
import { outboxDrained } from '../../utils/domain-events';
import { type SignedInClient, signUpMember, verifyEmployer } from '../../utils/identity-client';
import { waitFor } from '../../utils/wait';

const run = browserAvailable() ? describe : describe.skip;

const CREATE_COMMENT = `mutation ($t: ID!, $p: ID, $body: String!) {
  createComment(input: { threadId: $t, parentId: $p, body: $body }) { comment { id status } }
}`;
const ITEMS = `query ($f: ReviewQueueFilter) {
  reviewQueue(filter: $f, first: 100) {
    edges { node { id kind version history { action actorHandle } content { ... on Thread { id } ... on Comment { id } } } }
  }
}`;
const STATUS = 'query ($id: ID!) { reviewItem(id: $id) { status } }';
const CLAIM = 'mutation ($id: ID!, $v: Int!) { claimReviewItem(id: $id, version: $v) { id } }';
const DECIDE =
  'mutation ($input: DecideReviewItemInput!) { decideReviewItem(input: $input) { id } }';

interface QueueNode {
  id: string;
  kind: string;
  version: number;
  history: Array<{ action: string; actorHandle: string | null }>;
  content: { id: string };
}
interface Queue {
  reviewQueue: { edges: Array<{ node: QueueNode }> };
}

run(
  'staff console: moderation context, search, decided view, bulk decisions, keyboard help',
  () => {
    let world: ConsoleWorld;
    let browser: Browser;
    let author: SignedInClient;
    let appellant: SignedInClient;
    let secondModerator: SignedInClient;

    const post = async (by: SignedInClient, title: string, body: string) =>
      (
        await dataOf(
          by.gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {
            b: world.boardId,
            t: title,
            body,
          }),
        )
      ).createThread.thread.id;
    const itemOf = (contentId: string, kind: string, as = world.moderator) =>
      waitFor(`a ${kind} item for ${contentId}`, async () => {
        const queue = await dataOf(as.gql<Queue>(ITEMS, { f: { kind } }));
        return queue.reviewQueue.edges.find((edge) => edge.node.content.id === contentId)?.node;
      });
    const statusOf = async (id: string) =>
      (await dataOf(world.moderator.gql<{ reviewItem: { status: string } }>(STATUS, { id })))
        .reviewItem.status;

    const signedIn = (who: SignedInClient) => signedInToQueue(browser, world, who);
    const openItem = async (page: Page, id: string) => {
      await page.goto(`${world.app.url}/console/#/queue/${id}`);
      await page.getByRole('heading', { name: 'State', exact: true }).waitFor(WAIT);
    };

    beforeAll(async () => {
      [world, browser] = await startModerationWorld();
      [author, appellant, secondModerator] = await Promise.all([
        signUpMember(world.app, world.smtp),
        signUpMember(world.app, world.smtp),
        signUpMember(world.app, world.smtp),
      ]);
      for (const poster of [author, appellant])
        await dataOf(
          verifyEmployer(
            world.app,
            world.smtp,
            poster,
            `p${randomUUID().slice(0, 8)}@acme.example`,
          ),
        );
      await holdRuleAndModerator(world, secondModerator);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await world?.close();
    });

    it('shows an appeal beside the decision under appeal, the reports, the author history, and no buttons for the decider', async () => {
      const postId = await post(appellant, 'Floor three', 'Everyone on floor three is useless.');
      await dataOf(
        world.member.gql(
          'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT, details: "Insults a whole team by name") }',
          { c: postId },
        ),
      );
      const reported = await itemOf(postId, 'USER_REPORTS');
      await dataOf(
        world.moderator.gql(DECIDE, {
          input: {
            id: reported.id,
            version: reported.version,
            decision: 'REJECT',
            reasonCode: 'harassment',
            note: 'Please keep it civil.',
            sanction: { kind: 'SUSPENSION', days: 3 },
          },
        }),
      );
      await dataOf(
        appellant.gql(
          'mutation ($c: ID!) { appeal(contentId: $c, statement: "I was quoting my manager.") }',
          { c: postId },
        ),
      );
      await outboxDrained(world.app.app); // the suspension is written on the account
      const appeal = await itemOf(postId, 'APPEAL', secondModerator);

      const tab = await signedIn(secondModerator);
      const { page } = tab;
      await openItem(page, appeal.id);
      const card = page.locator('.appeal-card');
      await card.getByRole('heading', { name: 'Decision under appeal' }).waitFor(WAIT);
      await card.getByText('I was quoting my manager.').waitFor(WAIT);
      await card.getByText('Please keep it civil.').waitFor(WAIT);
      await card.getByText('3-day posting suspension').waitFor(WAIT);
      await card.getByText(/^Rejected \(/).waitFor(WAIT);
      await card.getByText(/^Staff .* · \d+ \w+, \d{2}:\d{2}$/).waitFor(WAIT);
      // The report with the reporter's own words; the reporter unnamed.
      const reports = page.locator('.reports-card');
      await reports.getByText('Insults a whole team by name').waitFor(WAIT);
      await reports.getByText('Reporters are not named.').waitFor(WAIT);
      expect(await reports.textContent()).not.toContain(world.member.email);
      // The author's history where the sanction is chosen.
      await page
        .locator('.sanction')
        .getByText('This author: 1 suspension upheld in the last 365 days.')
        .waitFor(WAIT);
      await page.getByText(/^since \d+ \w+, \d{2}:\d{2}/).waitFor(WAIT);
      await page.getByRole('button', { name: /^Approve \(restore\)/ }).waitFor(WAIT);
      await screenshot(page, 'console-appeal-item');
      // No raw enum values or vague wording anywhere on the page.
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).not.toMatch(/decided: |a member or a rule|HARASSMENT|SUSPENSION|USER_REPORTS/);
      expectClean(tab);
      await tab.close();

      // The moderator who decided sees why, and is offered neither Claim nor a decision.
      const mine = await signedIn(world.moderator);
      await openItem(mine.page, appeal.id);
      await mine.page
        .getByText(
          'You made the decision under appeal, so another moderator must decide this appeal.',
        )
        .waitFor(WAIT);
      expect(await mine.page.getByRole('button', { name: /^Claim/ }).count()).toBe(0);
      expect(await mine.page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
      expect(await mine.page.getByRole('button', { name: /^Reject/ }).count()).toBe(0);
      // Nor does `a` do anything.
      await mine.page.locator('h1').focus();
      await mine.page.keyboard.press('a');
      expect(await mine.page.getByRole('alertdialog').count()).toBe(0);
      expect(await statusOf(appeal.id)).toBe('PENDING');
      expectClean(mine);
      await mine.close();
    }, 120_000);

    it('shows the claim holder, and a comment with its thread and the comment it answers', async () => {
      const threadId = await post(
        author,
        'Canteen prices',
        'The canteen raised every price by 20%.',
      );
      const parent = (
        await dataOf(
          author.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
            t: threadId,
            body: 'Maybe we should all bring lunch from home.',
          }),
        )
      ).createComment.comment.id;
      const reply = (
        await dataOf(
          author.gql<{ createComment: { comment: { id: string } } }>(CREATE_COMMENT, {
            t: threadId,
            p: parent,
            body: `Or a ${HOLD_WORD} at lunchtime.`,
          }),
        )
      ).createComment.comment.id;
      const item = await itemOf(reply, 'RULE_HOLD');
      await dataOf(secondModerator.gql(CLAIM, { id: item.id, v: item.version }));
      const holder = (await itemOf(reply, 'RULE_HOLD')).history.find(
        (event) => event.action === 'claimed',
      )!.actorHandle!;

      const tab = await signedIn(world.moderator);
      const { page } = tab;
      await openItem(page, item.id);
      await page.locator('.claim-state').getByText(`Claimed by ${holder} until`).waitFor(WAIT);
      await page.getByText(`${holder} holds the claim until`).waitFor(WAIT);
      expect(await page.getByRole('button', { name: /^Claim/ }).count()).toBe(0);
      const context = page.locator('.context-card');
      await context.getByText('Canteen prices').waitFor(WAIT);
      await context.getByText('The canteen raised every price by 20%.').waitFor(WAIT);
      await context.getByText('Maybe we should all bring lunch from home.').waitFor(WAIT);
      await page.getByText('Held by rule “Collective action”').waitFor(WAIT);
      expectClean(tab);
      await tab.close();
    }, 120_000);

    it('searches, counts, decides in bulk with a failure named, and shows decided items in plain words', async () => {
      const tag = `bulk${randomUUID().slice(0, 6)}`;
      const ids: string[] = [];
      for (const n of [1, 2, 3])
        ids.push(await post(author, `${tag} case ${n}`, `A ${HOLD_WORD} plan number ${n}.`));
      const items = await Promise.all(ids.map((id) => itemOf(id, 'RULE_HOLD')));
      // Another moderator holds the third: it will fail.
      await dataOf(secondModerator.gql(CLAIM, { id: items[2].id, v: items[2].version }));

      const tab = await signedIn(world.moderator);
      const { page } = tab;
      const rows = page.locator('table.queue-table tbody tr');
      await page
        .locator('.queue-total')
        .getByText(/^\d+ pending$/)
        .waitFor(WAIT);
      // `/` goes to the search box.
      await page.locator('h1').focus();
      await page.keyboard.press('/');
      expect(await page.locator('input[name="search"]:focus').count()).toBe(1);
      await page.keyboard.type(tag.toUpperCase());
      // Enter applies the search at once; the page says which search its rows answer.
      await page.keyboard.press('Enter');
      await page.locator('.queue-count').getByText(`matching “${tag.toUpperCase()}”`).waitFor(WAIT);
      await page.locator('.queue-total').getByText('3 pending').waitFor(WAIT);
      await waitFor('three rows', async () => (await rows.count()) === 3);
      for (const text of await rows.allTextContents()) expect(text).toContain(tag);

      await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
      const bar = page.getByRole('region', { name: 'Bulk decision' });
      await bar.getByText('3 items selected').waitFor(WAIT);
      await bar.getByRole('button', { name: 'Approve selected' }).click();
      const outcome = bar.locator('.bulk-outcome');
      await outcome
        .getByText(/Approved: 2 items\. 1 item could not be decided and stays selected/)
        .waitFor(WAIT);
      const failure = outcome.locator(`li[data-id="${items[2].id}"]`);
      expect(await failure.getAttribute('data-code')).toBe('CONFLICT');
      await screenshot(page, 'console-queue-bulk');
      expect(await failure.textContent()).toContain(`${tag} case 3`);
      expect(await statusOf(items[0].id)).toBe('APPROVED');
      expect(await statusOf(items[1].id)).toBe('APPROVED');
      expect(await statusOf(items[2].id)).toBe('PENDING');
      // Only the failed one is left, still ticked.
      await page.locator('.queue-total').getByText('1 pending').waitFor(WAIT);
      await bar.getByText('1 item selected').waitFor(WAIT);
      expect(await page.getByRole('checkbox', { name: `Select “${tag} case 3”` }).isChecked()).toBe(
        true,
      );

      // The decided view says who approved and when, in words.
      await page.getByLabel('Status').selectOption('APPROVED');
      await page.locator('.queue-total').getByText('2 approved').waitFor(WAIT);
      await waitFor('two approved rows', async () => (await rows.count()) === 2);
      for (const cell of await rows.locator('td.decided').allTextContents())
        expect(cell).toMatch(/^Approved by Staff .+ · \d+ \w+, \d{2}:\d{2}$/);
      expect(await page.getByRole('checkbox').count()).toBe(0);

      // The jurisdiction filter offers the queue's jurisdictions, not every country.
      const options = await page.getByLabel('Jurisdiction').locator('option').allTextContents();
      expect(options[0]).toBe('All jurisdictions');
      expect(options.length).toBeLessThan(5);
      expect(options.some((option) => option.includes('(US)'))).toBe(true);
      expectClean(tab);
      await tab.close();
    }, 120_000);

    it('opens keyboard help with `?` and with its button', async () => {
      const tab = await signedIn(world.moderator);
      const { page } = tab;
      await page.locator('h1').focus();
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor(WAIT);
      for (const what of ['next row', 'previous row', 'open the selected item', 'search'])
        await help.getByText(what, { exact: true }).waitFor(WAIT);
      await page.keyboard.press('Escape');
      await help.waitFor({ ...WAIT, state: 'hidden' });

      const id = await itemOf(
        await post(author, 'Help page', `A ${HOLD_WORD} again.`),
        'RULE_HOLD',
      );
      await openItem(page, id.id);
      await page.getByRole('button', { name: /^Keyboard shortcuts/ }).click();
      await help.waitFor(WAIT);
      await help.getByText(/^approve \(asks first/).waitFor(WAIT);
      await help.getByText('claim the item').waitFor(WAIT);
      // Keys do not act behind the open help.
      await page.keyboard.press('a');
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      await help.getByRole('button', { name: 'Close' }).click();
      await help.waitFor({ ...WAIT, state: 'hidden' });
      expect(await statusOf(id.id)).toBe('PENDING');
      expectClean(tab);
      await tab.close();
    }, 120_000);
  },
);
