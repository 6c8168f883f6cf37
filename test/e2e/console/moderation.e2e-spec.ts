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
import {
  browserAvailable,
  openConsole,
  PHONE,
  screenshot,
  signInToConsole,
  sidewaysOverflow,
} from '../../utils/browser';
import type { ConsoleWorld } from '../../utils/console-world';
import { type SignedInClient, signUpMember, verifyEmployer } from '../../utils/identity-client';
import { waitFor } from '../../utils/wait';

const run = browserAvailable() ? describe : describe.skip;

const CREATE_COMMENT = `mutation ($t: ID!, $body: String!) {
  createComment(input: { threadId: $t, body: $body }) { comment { id status } }
}`;
const ITEM_FOR = `query ($f: ReviewQueueFilter) {
  reviewQueue(filter: $f, first: 100) { edges { node { id kind content { ... on Thread { id } ... on Comment { id } } } } }
}`;
const REVIEW_ITEM = `query ($id: ID!) {
  reviewItem(id: $id) { status decision reasonCode content { ... on Thread { status } ... on Comment { status } } }
}`;
const THREAD = 'query ($id: ID!) { thread(id: $id) { id status } }';

interface Created {
  createThread: { thread: { id: string; status: string } };
}
interface Queue {
  reviewQueue: { edges: Array<{ node: { id: string; kind: string; content: { id: string } } }> };
}
interface ItemView {
  reviewItem: {
    status: string;
    decision: string | null;
    reasonCode: string | null;
    content: { status: string };
  } | null;
}

/** The WCAG 2 contrast ratio of two computed colours ("rgb(r, g, b)"). */
function contrast(first: string, second: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(first), luminance(second)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

run('staff console: review queue and review items', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  /** Posts the held items of every test but the first (whose author ends up suspended). */
  let author: SignedInClient;
  let secondModerator: SignedInClient;
  let counter = 0;

  const post = async (by: SignedInClient, title: string, body: string) =>
    (
      await dataOf(
        by.gql<Created>(CREATE_THREAD, { b: world.boardId, t: `${title} ${++counter}`, body }),
      )
    ).createThread.thread;
  /**
   * The review item of a post, as the API lists it to the moderator. A rule's item is made
   * just after the post's transaction commits, so it is looked for a few times.
   */
  const itemOf = async (contentId: string, kind: string) => {
    return waitFor(`a ${kind} item for ${contentId}`, async () => {
      const queue = await dataOf(world.moderator.gql<Queue>(ITEM_FOR, { f: { kind } }));
      return queue.reviewQueue.edges.find((edge) => edge.node.content.id === contentId)?.node.id;
    });
  };
  const itemView = async (id: string) =>
    (await dataOf(world.moderator.gql<ItemView>(REVIEW_ITEM, { id }))).reviewItem;

  const signedIn = (who: SignedInClient, viewport?: typeof PHONE) =>
    signedInToQueue(browser, world, who, viewport);
  const openItem = async (page: Page, id: string) => {
    await page.goto(`${world.app.url}/console/#/queue/${id}`);
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
  };

  beforeAll(async () => {
    [world, browser] = await startModerationWorld();
    [author, secondModerator] = await Promise.all([
      signUpMember(world.app, world.smtp),
      signUpMember(world.app, world.smtp),
    ]);
    // Posting on public boards takes a verified employer.
    for (const [index, poster] of [world.member, author].entries())
      expect(
        (await verifyEmployer(world.app, world.smtp, poster, `poster${index}@acme.example`)).errors,
      ).toBeUndefined();
    await holdRuleAndModerator(world, secondModerator);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('shows a held post live in the queue; a rejection with a 7-day suspension takes effect', async () => {
    const tab = await openConsole(browser, world.app.url);
    const { page } = tab;
    // The live subscription is on its way to the server before anything is posted.
    const subscribed = new Promise<void>((resolve) =>
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => {
          if (String(frame.payload).includes('ConsoleReviewQueueChanged')) resolve();
        }),
      ),
    );
    await signInToConsole(page, world.moderator.email, world.moderator.password);
    await page.getByRole('heading', { name: 'Review queue' }).waitFor(WAIT);
    await subscribed;
    await page.waitForTimeout(500); // the server registers the subscription

    const thread = await post(
      world.member,
      'Friday plans',
      `Everyone is joining the ${HOLD_WORD} on Friday at noon.`,
    );
    expect(thread.status).toBe('HELD');
    // The row appears without a reload, and the change is announced.
    const row = page.getByRole('row').filter({ hasText: 'Friday plans' });
    await row.waitFor(WAIT);
    await row.getByText('Held by a rule').waitFor(WAIT);
    await page.getByText(/Queue updated: 1 new item/).waitFor(WAIT);
    // The "New" badge reads at 4.5:1 or better against its own background.
    const badge = row.locator('.badge-new');
    await badge.waitFor(WAIT);
    const [ink, paper] = await page.evaluate<[string, string]>(
      `(() => { const s = getComputedStyle(document.querySelector('.badge-new')); return [s.color, s.backgroundColor]; })()`,
    );
    expect(contrast(ink, paper)).toBeGreaterThanOrEqual(4.5);

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    await page.getByText(`${HOLD_WORD} on Friday`).waitFor(WAIT);
    await page.getByRole('button', { name: /^Claim/ }).click();
    await page.getByText(/You hold it until/).waitFor(WAIT);

    await page.getByLabel(/Reason code/).selectOption('illegal_content');
    await page.getByLabel('Note to the author (optional)').fill('Not on this board.');
    await page.getByLabel('Sanction', { exact: true }).selectOption('SUSPENSION');
    await page.getByLabel('Days').fill('7');
    await page.getByRole('button', { name: /^Reject/ }).click();
    const done = page.locator('.decision-done');
    await done.waitFor(WAIT);
    expect(await done.textContent()).toMatch(
      /Rejected\. The post is now rejected \(never published\)\..*7 days/,
    );
    expect(await page.locator('.item-messages:focus').count()).toBe(1); // focus on the result
    await page.getByRole('button', { name: /^Next item/ }).waitFor(WAIT);

    // Through the API: the item and the post are rejected (staff see it so), members no longer see it…
    const id = new URL(page.url()).hash.split('/').pop() ?? '';
    expect(await itemView(id)).toMatchObject({
      status: 'REJECTED',
      decision: 'REJECT',
      reasonCode: 'illegal_content',
      content: { status: 'REJECTED' },
    });
    expect((await dataOf(world.officerA.gql(THREAD, { id: thread.id }))).thread).toMatchObject({
      status: 'REJECTED',
    });
    expect((await dataOf(author.gql(THREAD, { id: thread.id }))).thread).toBeNull();
    // …and the author is suspended for a week.
    const refused = await world.member.gql(CREATE_THREAD, {
      b: world.boardId,
      t: 'Still here',
      body: 'hello',
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SUSPENDED',
    });
    const until = new Date(String(refused.errors?.[0].extensions?.until));
    expect(until.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(until.getTime() - Date.now()).toBeLessThan(7.1 * 86_400_000);
    expectClean(tab);
    await tab.close();
  }, 120_000);

  it('filters by kind, fits 1280 and 390 px, and is screenshotted', async () => {
    const held = await post(author, 'Strike talk', `Is there a ${HOLD_WORD} planned in March?`);
    await post(author, 'Union notes', `Minutes of the meeting: a ${HOLD_WORD} vote next week.`);
    const published = await post(author, 'Cafeteria', 'The new salad bar is excellent.');
    await dataOf(
      author.gql(CREATE_COMMENT, {
        t: published.id,
        body: `Bring it up at the ${HOLD_WORD} meeting.`,
      }),
    );
    const reported = await post(author, 'Parking', 'Whoever parks in two spots every day: stop.');
    await dataOf(
      world.officerA.gql(
        'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT, details: "Targets a colleague") }',
        { c: reported.id },
      ),
    );
    await itemOf(reported.id, 'USER_REPORTS');
    await itemOf(held.id, 'RULE_HOLD');

    const tab = await signedIn(world.moderator);
    const { page } = tab;
    const rows = page.locator('table.queue-table tbody tr');
    await page.getByRole('row').filter({ hasText: 'Parking' }).waitFor(WAIT);
    await page.getByRole('row').filter({ hasText: 'Strike talk' }).waitFor(WAIT);
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    await page
      .getByRole('row')
      .filter({ hasText: 'Parking' })
      .getByText('Reported by members')
      .waitFor();
    await screenshot(page, 'console-queue');
    const overflow = () => sidewaysOverflow(page);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await page.getByLabel('Kind').selectOption('USER_REPORTS');
    await rows.filter({ hasText: 'Strike talk' }).waitFor({ ...WAIT, state: 'detached' });
    await rows.filter({ hasText: 'Parking' }).waitFor(WAIT);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('Parking')]);
    await page.getByLabel('Kind').selectOption('RULE_HOLD');
    await page.getByRole('row').filter({ hasText: 'Strike talk' }).waitFor(WAIT);
    for (const text of await rows.locator('td[data-label="Kind"]').allTextContents())
      expect(text).toContain('Held by a rule');
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    // The filter survives a reload (sessionStorage).
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'Strike talk' }).waitFor(WAIT);
    expect(await page.getByLabel('Kind').inputValue()).toBe('RULE_HOLD');
    expect(await page.getByRole('row').filter({ hasText: 'Parking' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('row').filter({ hasText: 'Parking' }).waitFor(WAIT);

    // The item page, screenshotted, then both pages at phone width.
    await page.getByRole('row').filter({ hasText: 'Parking' }).getByRole('link').click();
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    await page.getByText('Reported by 1 member: harassment').waitFor(WAIT);
    await page.locator('.reports-card').getByText('Targets a colleague').waitFor(WAIT);
    await screenshot(page, 'console-review-item');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expectClean(tab);
    await tab.close();

    const phone = await signedIn(world.moderator, PHONE);
    await phone.page.getByRole('row').filter({ hasText: 'Parking' }).waitFor(WAIT);
    expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'console-queue-phone');
    await phone.page.getByRole('row').filter({ hasText: 'Strike talk' }).getByRole('link').click();
    await phone.page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'console-review-item-phone');
    expectClean(phone);
    await phone.close();
  }, 180_000);

  it('approves with `a` only once confirmed, and moves to the next pending item with `n`', async () => {
    const first = await post(author, 'Keyboard one', `Planning a ${HOLD_WORD} for Tuesday.`);
    await post(author, 'Keyboard two', `Another ${HOLD_WORD} idea.`);
    const id = await itemOf(first.id, 'RULE_HOLD');

    const tab = await signedIn(world.moderator);
    const { page } = tab;
    // j/k select rows and Enter opens the selected one.
    await page.getByRole('row').filter({ hasText: 'Keyboard one' }).waitFor(WAIT);
    await page.locator('h1').focus();
    await page.keyboard.press('j');
    await page.locator('table.queue-table tbody tr.selected').waitFor(WAIT);
    const selected = await page.locator('tr.selected').getAttribute('data-id');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await page.locator('tr.selected').getAttribute('data-id')).toBe(selected);
    await page.keyboard.press('o');
    await page.waitForURL(new RegExp(`#/queue/${selected}$`), WAIT);

    await openItem(page, id);
    await page.getByText(`${HOLD_WORD} for Tuesday`).waitFor(WAIT);
    // `a` asks first: Esc cancels and nothing is decided…
    await page.locator('h1').focus();
    await page.keyboard.press('a');
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('Approve this post?').waitFor(WAIT);
    expect(await page.locator('.confirm-bar button:focus').textContent()).toBe('Yes, approve');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ ...WAIT, state: 'detached' });
    expect((await itemView(id))?.status).toBe('PENDING');
    // …Enter confirms.
    await page.locator('h1').focus();
    await page.keyboard.press('a');
    await page.locator('.confirm-bar button:focus').waitFor(WAIT);
    await page.keyboard.press('Enter');
    await page.locator('.decision-done').filter({ hasText: 'Approved' }).waitFor(WAIT);
    expect(await itemView(id)).toMatchObject({
      status: 'APPROVED',
      content: { status: 'PUBLISHED' },
    });
    expect(
      (await dataOf(world.officerA.gql<{ thread: { status: string } }>(THREAD, { id: first.id })))
        .thread,
    ).toMatchObject({ status: 'PUBLISHED' });

    // Typing in a field is not a shortcut; outside one, `n` opens another pending item.
    await page.keyboard.press('n');
    await page.waitForURL(
      (url) => /#\/queue\/[^/]+$/.test(url.hash) && !url.hash.endsWith(id),
      WAIT,
    );
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    await page.getByLabel('Note to the author (optional)').click();
    await page.keyboard.type('an approval note');
    const typedIn = page.url();
    const next = typedIn.split('/').pop() ?? '';
    expect(await page.getByLabel('Note to the author (optional)').inputValue()).toBe(
      'an approval note',
    );
    expect((await itemView(next))?.status).toBe('PENDING');
    expect(await page.locator('.decision-done').count()).toBe(0);
    expect(page.url()).toBe(typedIn);

    // `r` goes to the reason code (a rejection needs one); Enter on a chosen reason rejects.
    await page.locator('h1').focus();
    await page.keyboard.press('r');
    const reason = page.getByLabel(/Reason code/);
    expect(await page.locator('select[name="reasonCode"]:focus').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    expect(await reason.inputValue()).not.toBe('');
    await page.keyboard.press('Enter');
    await page.locator('.decision-done').filter({ hasText: 'Rejected' }).waitFor(WAIT);
    expect(await itemView(next)).toMatchObject({ status: 'REJECTED', decision: 'REJECT' });
    expectClean(tab);
    await tab.close();
  }, 120_000);

  it('shows a conflict when another moderator decided first, with the refreshed outcome', async () => {
    const thread = await post(author, 'Conflict', `A ${HOLD_WORD} next month?`);
    const id = await itemOf(thread.id, 'RULE_HOLD');
    const [one, two] = await Promise.all([signedIn(world.moderator), signedIn(secondModerator)]);
    await Promise.all([openItem(one.page, id), openItem(two.page, id)]);

    await one.page.getByRole('button', { name: /^Approve/ }).click();
    await one.page.locator('.decision-done').waitFor(WAIT);

    await two.page.getByLabel(/Reason code/).selectOption('spam');
    await two.page.getByRole('button', { name: /^Reject/ }).click();
    const alert = two.page.getByRole('alert');
    await alert.waitFor(WAIT);
    expect(await alert.getAttribute('data-code')).toBe('CONFLICT');
    expect(await alert.textContent()).toMatch(/Another moderator decided this item first/);
    // The refreshed item: approved, and no decision form any more.
    await two.page.locator('.facts .status-approved').waitFor(WAIT);
    expect(await two.page.getByRole('heading', { name: 'Decide' }).count()).toBe(0);
    expect(await itemView(id)).toMatchObject({ status: 'APPROVED', decision: 'APPROVE' });

    // A live claim held by the other moderator is explained with its end time.
    const other = await post(author, 'Claimed', `The ${HOLD_WORD} committee meets today.`);
    const claimedId = await itemOf(other.id, 'RULE_HOLD');
    await Promise.all([openItem(one.page, claimedId), openItem(two.page, claimedId)]);
    await one.page.getByRole('button', { name: /^Claim/ }).click();
    await one.page.getByText(/You hold it until/).waitFor(WAIT);
    await two.page.getByRole('button', { name: /^Claim/ }).click();
    const claimed = two.page.getByRole('alert');
    await claimed.waitFor(WAIT);
    expect(await claimed.getAttribute('data-code')).toBe('CONFLICT');
    // The other moderator sees who holds it, and is offered no Claim or decision buttons.
    await two.page
      .locator('.claim-state')
      .getByText(/^Claimed by Staff .* until/)
      .waitFor(WAIT);
    await two.page.getByText(/holds the claim until .*: only they can decide it/).waitFor(WAIT);
    expect(await two.page.getByRole('button', { name: /^Claim/ }).count()).toBe(0);
    expect(await two.page.getByRole('heading', { name: 'Decide' }).count()).toBe(0);

    for (const opened of [one, two]) {
      expectClean(opened);
      await opened.close();
    }
  }, 120_000);
});
