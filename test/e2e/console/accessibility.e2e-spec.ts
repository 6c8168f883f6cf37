import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems } from '../../utils/accessibility';
import {
  browserAvailable,
  type ConsolePage,
  DESKTOP,
  launchChromium,
  openConsole,
  PHONE,
  signInToConsole,
} from '../../utils/browser';
import { dataOf, draftRuleSet } from '../../utils/compliance-client';
import {
  type ConsoleWorld,
  createConsoleWorld,
  holdPostsContaining,
} from '../../utils/console-world';
import { postThread } from '../../utils/discussion-client';
import { type SignedInClient, verifyEmployer } from '../../utils/identity-client';
import { waitForSubscriptions } from '../../utils/wait';

const run = browserAvailable() ? describe : describe.skip;

/** Posts containing it are held for review by the US rule set. */
const HOLD_WORD = 'walkout';
const WAIT = { timeout: 30_000 };

/**
 * Every console page, as each kind of staff member sees it, scanned with axe-core (no serious
 * or critical violation) and for text contrast from the computed styles (WCAG AA).
 */
run('staff console: accessibility of every page', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  let draftId: string;

  const post = (title: string, body: string) =>
    postThread(world.member, world.boardId, title, body);

  /** The page passes both checks; a failure lists each problem with where it is. */
  const expectAccessible = async (page: Page, what: string) => {
    // Collapsed <details> (audit details, chart data, evasion options) are opened for the
    // checks, then closed again.
    const opened = await page.evaluate<number>(`(() => {
      const closed = [...document.querySelectorAll('details:not([open])')];
      closed.forEach((details) => details.setAttribute('data-a11y-opened', ''));
      closed.forEach((details) => (details.open = true));
      return closed.length;
    })()`);
    const problems = await accessibilityProblems(page);
    if (opened > 0)
      await page.evaluate(`document.querySelectorAll('details[data-a11y-opened]').forEach((d) => {
        d.open = false;
        d.removeAttribute('data-a11y-opened');
      })`);
    expect({ page: what, problems }).toEqual({ page: what, problems: [] });
  };
  const signedIn = async (who: SignedInClient, viewport = DESKTOP) => {
    const tab = await openConsole(browser, world.app.url, viewport);
    await signInToConsole(tab.page, who.email, who.password);
    return tab;
  };
  /** The tab made no request elsewhere and logged no error (a CSP violation would be one). */
  const closeClean = async (tab: ConsolePage) => {
    expect(tab.foreignRequests).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  };

  beforeAll(async () => {
    [world, browser] = await Promise.all([
      // One report from a new reporter queues the post.
      createConsoleWorld({ REPORT_QUEUE_THRESHOLD: '1' }),
      launchChromium(),
    ]);
    expect(
      (await verifyEmployer(world.app, world.smtp, world.member, 'pat@acme.example')).errors,
    ).toBeUndefined();
    await holdPostsContaining(world, HOLD_WORD);
    // A draft with a rule of each look (keywords, regex, PII) for the rule set page.
    draftId = await draftRuleSet(world.officerA, 'FR', [
      {
        name: 'Strike breakers',
        matcher: { kind: 'KEYWORDS', terms: ['scab'] },
        action: 'FLAG',
        legalBasis: 'Code du travail L2511-1',
        explanation: 'Calling colleagues strike breakers is reviewed.',
      },
      {
        name: 'Salary figures',
        matcher: { kind: 'REGEX', pattern: String.raw`\$\d{2,3},\d{3}` },
        action: 'REDACT',
        legalBasis: 'Company policy 7.2',
        explanation: 'Exact salaries are masked.',
      },
    ]);
    // Items of two kinds in the queue before it opens: held by a rule, and reported.
    await post('Strike talk', `Is there a ${HOLD_WORD} planned in March?`);
    const reported = await post('Parking', 'Whoever parks in two spots every day: stop.');
    await dataOf(
      world.officerA.gql(
        'mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT, details: "Targets a colleague") }',
        { c: reported },
      ),
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('finds what it looks for: unlabelled fields, faint text of every kind', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><title>Checks</title><style>
      .faint { color: #aaa } .chip { background: #f3f5f8; color: #fff; font-size: 12px }
      .big { font-size: 24px; color: #949494 } .tinted { background: rgba(0, 0, 0, 0.5) }
      input::placeholder { color: #ccc } td::before { content: 'Name: '; color: #bbb }
      .ok { color: #4f5660 }
    </style></head><body><main>
      <h1>Checks</h1>
      <p class="ok">Readable muted text.</p>
      <p class="faint">Faint text</p>
      <p>A <span class="chip">New</span> chip</p>
      <p class="big">Large text at 3:1</p>
      <div class="tinted"><p style="color: #222">Dark on a translucent dark layer</p></div>
      <input aria-label="Search" placeholder="Faint placeholder">
      <input type="text">
      <table><tr><td>Cell</td></tr></table>
      <svg role="img" aria-label="Chart"><text x="0" y="20" style="fill: #ddd">Axis</text></svg>
    </main></body></html>`);
    const problems = await accessibilityProblems(page);
    // axe: the field without a label.
    expect(problems).toContainEqual(
      expect.stringMatching(/^axe critical label: .* at input\[type="text"\]$/),
    );
    // Contrast: each faint text, named, with its ratio; the large text and muted text pass.
    for (const text of ['Faint text', 'New', 'Dark on a translucent', 'Faint placeholder'])
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^contrast .*"${text}`)));
    expect(problems).toContainEqual(expect.stringMatching(/^contrast .*"::before "Name: ""/));
    expect(problems).toContainEqual(expect.stringMatching(/^contrast .*"Axis".* at .*svg > text/));
    expect(problems.join('\n')).not.toMatch(/Readable muted|Large text/);
    await context.close();
  });

  it('sign-in page, and the refusal a member without a staff role sees', async () => {
    const tab = await openConsole(browser, world.app.url);
    const { page } = tab;
    await page.getByRole('button', { name: 'Sign in' }).waitFor(WAIT);
    await expectAccessible(page, 'sign-in');

    await page.getByLabel('Email').fill(world.member.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor(WAIT);
    await expectAccessible(page, 'sign-in: wrong password');

    await page.getByLabel('Password').fill(world.member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'no staff role' }).waitFor(WAIT);
    await expectAccessible(page, 'sign-in: no staff role');
    await closeClean(tab);
  }, 120_000);

  it('moderator: the queue with a live "New" row, review items and an unknown item', async () => {
    const tab = await signedIn(world.moderator);
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor(WAIT);
    await page.getByRole('row').filter({ hasText: 'Parking' }).waitFor(WAIT);
    // A post held after the page loaded arrives live, marked "New".
    await waitForSubscriptions(world.app.url, 'review-queue-changed');
    await post('Friday plans', `Everyone is joining the ${HOLD_WORD} on Friday at noon.`);
    const fresh = page.getByRole('row').filter({ hasText: 'Friday plans' });
    await fresh.locator('.badge-new').waitFor(WAIT);
    await page.getByText(/Queue updated: 1 new item/).waitFor(WAIT);
    await expectAccessible(page, 'queue with a new row');

    // The keyboard help dialog, and the bulk bar of a selection.
    await page.getByRole('button', { name: /^Keyboard shortcuts/ }).click();
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor(WAIT);
    await expectAccessible(page, 'keyboard help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden', ...WAIT });
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('region', { name: 'Bulk decision' }).waitFor(WAIT);
    await expectAccessible(page, 'queue with a bulk selection');
    await page.getByLabel('Select all on this page').uncheck();

    // Keyboard selection marks a row too.
    await page.locator('h1').focus();
    await page.keyboard.press('j');
    await page.locator('table.queue-table tbody tr.selected').waitFor(WAIT);
    await expectAccessible(page, 'queue with a selected row');

    await fresh.getByRole('link').click();
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    await page.getByText(`${HOLD_WORD} on Friday`).waitFor(WAIT);
    await expectAccessible(page, 'review item held by a rule');
    await page.getByRole('button', { name: /^Claim/ }).click();
    await page.getByText(/You hold it until/).waitFor(WAIT);
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.locator('.decision-done').waitFor(WAIT);
    await expectAccessible(page, 'review item after a decision');

    // Decided items, in plain words.
    await page.goto(`${world.app.url}/console/#/queue`);
    await page.getByLabel('Status').selectOption('APPROVED');
    await page.getByRole('row').filter({ hasText: 'Friday plans' }).waitFor(WAIT);
    await expectAccessible(page, 'decided items');
    await page.getByLabel('Status').selectOption('PENDING');

    await page.goto(`${world.app.url}/console/#/queue`);
    await page.getByRole('row').filter({ hasText: 'Parking' }).getByRole('link').click(WAIT);
    await page.getByRole('heading', { name: 'Reports (1)' }).waitFor(WAIT);
    await expectAccessible(page, 'review item with a report');

    await page.goto(`${world.app.url}/console/#/queue/00000000-0000-4000-8000-000000000000`);
    await page.getByText('There is no review item with this id').waitFor(WAIT);
    await expectAccessible(page, 'unknown review item');
    await closeClean(tab);
  }, 180_000);

  it('moderator at phone width: the queue and a review item', async () => {
    const tab = await signedIn(world.moderator, PHONE);
    const { page } = tab;
    const row = page.getByRole('row').filter({ hasText: 'Strike talk' });
    await row.waitFor(WAIT);
    await expectAccessible(page, 'queue at phone width');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Decide' }).waitFor(WAIT);
    await expectAccessible(page, 'review item at phone width');
    await closeClean(tab);
  }, 120_000);

  it('compliance officer: rules, a draft and its rule editor, audit log, transparency', async () => {
    const tab = await signedIn(world.officerA);
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor(WAIT);
    await page
      .locator('tr[data-jurisdiction="US"] td[data-label="Active"]')
      .getByText('Version 1')
      .waitFor(WAIT);
    await expectAccessible(page, 'rules');

    await page.goto(`${world.app.url}/console/#/rule-sets/${draftId}`);
    await page.getByRole('heading', { level: 1, name: 'FR rule set, version 1' }).waitFor(WAIT);
    await page.getByTestId('four-eyes-notice').waitFor(WAIT);
    await expectAccessible(page, 'rule set draft');
    // The rule test, with highlights and a redaction.
    await page.getByLabel('Sample text').fill('A scab earns $140,000 here');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByTestId('test-highlighted').locator('mark').first().waitFor(WAIT);
    await page.getByRole('button', { name: 'Preview impact' }).click();
    await page.getByText(/posts scanned would change/).waitFor(WAIT);
    await expectAccessible(page, 'rule set draft with a test result and an impact preview');
    // The confirmation a retroactive publication asks for.
    await page.getByLabel('Apply retroactively to posts already published').check();
    await page.getByRole('button', { name: 'Publish version 1…' }).click();
    const confirm = page.getByRole('alertdialog', {
      name: 'Publish version 1 and apply it to past posts?',
    });
    await confirm.waitFor(WAIT);
    await expectAccessible(page, 'confirmation of a retroactive publication');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('Apply retroactively to posts already published').uncheck();
    // The editor, with an existing rule loaded.
    await page.getByRole('button', { name: 'Edit Salary figures' }).click();
    await page.getByLabel('Pattern (RE2)').waitFor(WAIT);
    await expectAccessible(page, 'rule editor');

    await page.goto(`${world.app.url}/console/#/audit`);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(WAIT);
    await page.locator('table.cmp-audit tbody tr').first().waitFor(WAIT);
    await page.getByRole('button', { name: 'Check chain' }).click();
    await page.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor(WAIT);
    await expectAccessible(page, 'audit log');
    // Filtered, with linked subjects and readable details.
    await page.getByLabel('Action').selectOption('ruleSet.publish');
    await page
      .getByTestId('audit-summary')
      .getByText(/ruleSet\.publish/)
      .waitFor(WAIT);
    await expectAccessible(page, 'audit log filtered by action');

    await page.goto(`${world.app.url}/console/#/transparency`);
    await page.locator('svg[role="img"] rect.cmp-bar').first().waitFor(WAIT);
    await expectAccessible(page, 'transparency');
    await closeClean(tab);
  }, 180_000);

  it('compliance officer at phone width: rules and the draft', async () => {
    const tab = await signedIn(world.officerB, PHONE);
    const { page } = tab;
    await page.locator('tr[data-jurisdiction="US"]').waitFor(WAIT);
    await expectAccessible(page, 'rules at phone width');
    await page.goto(`${world.app.url}/console/#/rule-sets/${draftId}`);
    await page.locator('table.cmp-rules').waitFor(WAIT);
    await expectAccessible(page, 'rule set draft at phone width');
    await closeClean(tab);
  }, 120_000);
});
