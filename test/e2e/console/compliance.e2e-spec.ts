import type { Browser, Page } from 'playwright-core';
import {
  browserAvailable,
  type ConsolePage,
  launchChromium,
  openConsole,
  PHONE,
  screenshot,
  signInToConsole,
  sidewaysOverflow,
} from '../../utils/browser';
import { dataOf, draftRuleSet, publishRuleSet } from '../../utils/compliance-client';
import { type ConsoleWorld, createConsoleWorld } from '../../utils/console-world';
import { type SignedInClient, verifyEmployer } from '../../utils/identity-client';
import { waitFor } from '../../utils/wait';

const run = browserAvailable() ? describe : describe.skip;

const WAIT = { timeout: 30_000 };
const TERM = 'projectx';
const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } }
}`;
const US_VERSIONS = `{ jurisdictions { code activeRuleSet { id version basedOnVersion } } }`;

interface Versions {
  jurisdictions: Array<{
    code: string;
    activeRuleSet: { id: string; version: number; basedOnVersion: number | null } | null;
  }>;
}

/** Fills the console's rule form and adds the rule. */
async function addRule(
  page: Page,
  rule: {
    name: string;
    kind: string;
    action: string;
    terms?: string;
    pattern?: string;
    pii?: string;
    legalBasis: string;
    explanation: string;
    /** Evasion options: the start of an option's label → default, on or off. */
    options?: Record<string, 'default' | 'on' | 'off'>;
  },
) {
  const form = page.getByRole('form', { name: 'Add a rule' });
  await form.getByLabel(/^Name/).fill(rule.name);
  await form.getByLabel(/^Matcher/).selectOption(rule.kind);
  if (rule.terms !== undefined) await form.getByLabel('Terms, one per line').fill(rule.terms);
  if (rule.pattern !== undefined) await form.getByLabel('Pattern (RE2)').fill(rule.pattern);
  if (rule.pii !== undefined) await form.getByLabel(rule.pii, { exact: true }).check();
  if (rule.options !== undefined) {
    await form.getByText('Evasions read').click();
    for (const [label, choice] of Object.entries(rule.options)) {
      await form.getByLabel(new RegExp(`^${label}`)).selectOption(choice);
    }
  }
  await form.getByLabel(/^Action/).selectOption(rule.action);
  await form.getByLabel('Legal basis').fill(rule.legalBasis);
  await form.getByLabel('Explanation shown to the author').fill(rule.explanation);
  await form.getByRole('button', { name: 'Add rule' }).click();
}

async function signedIn(
  browser: Browser,
  url: string,
  who: SignedInClient,
  viewport?: typeof PHONE,
) {
  const opened = await openConsole(browser, url, viewport);
  await signInToConsole(opened.page, who.email, who.password);
  await opened.page.waitForURL(/#\/rules$/, WAIT);
  await opened.page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor(WAIT);
  return opened;
}

async function open(opened: ConsolePage, url: string, hash: string) {
  await opened.page.goto(`${url}/console/${hash}`);
}

function expectClean(opened: ConsolePage) {
  expect(opened.foreignRequests).toEqual([]);
  expect(opened.errors).toEqual([]);
}

run('staff console: compliance officer pages', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  let url: string;
  let draftId: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([createConsoleWorld(), launchChromium()]);
    url = world.app.url;
    const verified = await verifyEmployer(world.app, world.smtp, world.member, 'pat@acme.example');
    expect(verified.errors).toBeUndefined();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('drafts, tests and (with a second officer) publishes a rule set that then applies', async () => {
    const a = await signedIn(browser, url, world.officerA);
    const { page } = a;
    await page.getByLabel('Find a jurisdiction').fill('United States');
    await page.getByRole('button', { name: 'New draft for US' }).click(WAIT);
    await page.waitForURL(/#\/rule-sets\/[^/]+$/, WAIT);
    draftId = decodeURIComponent(new URL(page.url()).hash.split('/').pop() ?? '');
    await page.getByRole('heading', { level: 1, name: 'US rule set, version 1' }).waitFor(WAIT);

    await addRule(page, {
      name: 'Project X leaks',
      kind: 'KEYWORDS',
      terms: TERM,
      action: 'BLOCK',
      legalBasis: 'Trade secrets: Defend Trade Secrets Act, 18 U.S.C. §1836',
      explanation: 'Posts naming an unannounced project are refused.',
    });
    await page
      .locator('table.cmp-rules td[data-label="Name"]', { hasText: 'Project X leaks' })
      .waitFor(WAIT);
    await addRule(page, {
      name: 'Salary figures',
      kind: 'REGEX',
      pattern: String.raw`\$\d{2,3},\d{3}`,
      action: 'FLAG',
      legalBasis: 'Company policy 7.2',
      explanation: 'Exact salaries are reviewed by a moderator.',
    });
    await page
      .locator('table.cmp-rules td[data-label="Name"]', { hasText: 'Salary figures' })
      .waitFor(WAIT);
    await addRule(page, {
      name: 'Email addresses',
      kind: 'PII',
      pii: 'EMAIL',
      action: 'REDACT',
      legalBasis: 'Terms §4 (doxxing)',
      explanation: 'Email addresses are masked.',
    });
    await page
      .locator('table.cmp-rules td[data-label="Name"]', { hasText: 'Email addresses' })
      .waitFor(WAIT);
    expect(await page.locator('table.cmp-rules tbody tr').count()).toBe(3);

    await page
      .getByLabel('Sample text')
      .fill(`Heard ${TERM} pays $140,000 — ask jo@example.com before it ships`);
    await page.getByRole('button', { name: 'Run test' }).click();
    const marks = page.getByTestId('test-highlighted').locator('mark');
    await marks.first().waitFor(WAIT);
    expect(await marks.allTextContents()).toEqual([TERM, '$140,000', 'jo@example.com']);
    expect(await marks.first().getAttribute('title')).toBe('Project X leaks (BLOCK)');
    await page
      .getByText(/redacted/i)
      .first()
      .waitFor(WAIT);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'console-rule-editor');

    // Officer A made the last change: told before trying, refused when trying.
    await page.getByTestId('four-eyes-notice').waitFor(WAIT);
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'another compliance officer' });
    await refused.waitFor(WAIT);
    expect(await refused.getAttribute('data-code')).toBe('FORBIDDEN');
    expectClean(a);
    await a.close();

    const b = await signedIn(browser, url, world.officerB);
    await open(b, url, `#/rule-sets/${draftId}`);
    await b.page.getByRole('heading', { level: 1, name: 'US rule set, version 1' }).waitFor(WAIT);
    expect(await b.page.getByTestId('four-eyes-notice').count()).toBe(0);
    await b.page.getByRole('button', { name: 'Publish version 1' }).click();
    await b.page.getByTestId('rule-set-status').getByText('ACTIVE').waitFor(WAIT);
    await b.page.getByRole('status').filter({ hasText: 'version 1 is now active' }).waitFor(WAIT);
    expectClean(b);
    await b.close();

    // The rule is in force: a member's post with the term is refused.
    const refusedPost = await world.member.gql(CREATE_THREAD, {
      b: world.boardId,
      t: 'News',
      body: `They say ${TERM} launches soon`,
    });
    expect(refusedPost.errors?.[0].extensions?.code).toBe('CONTENT_BLOCKED');
  }, 180_000);

  it("sets a rule's evasion options and shows how each hit was found", async () => {
    const a = await signedIn(browser, url, world.officerA);
    const { page } = a;
    await page.getByLabel('Find a jurisdiction').fill('France');
    await page.getByRole('button', { name: 'New draft for FR' }).click(WAIT);
    await page.waitForURL(/#\/rule-sets\/[^/]+$/, WAIT);
    await addRule(page, {
      name: 'Strike breakers',
      kind: 'KEYWORDS',
      terms: 'scab',
      action: 'HOLD',
      legalBasis: 'Code du travail L2511-1',
      explanation: 'Calling colleagues strike breakers is reviewed.',
      options: { 'inflections and compounds': 'off' },
    });
    await page
      .locator('table.cmp-rules td[data-label="Name"]', { hasText: 'Strike breakers' })
      .waitFor(WAIT);
    await page.getByLabel('Sample text').fill('scabs everywhere, and s c a b too');
    await page.getByRole('button', { name: 'Run test' }).click();
    const foundAs = page.locator('table.cmp-hits td[data-label="Found as"]');
    await foundAs.first().waitFor(WAIT);
    // "scabs" would be an inflection, which the rule turned off; the spaced-out form is read.
    expect(await foundAs.allTextContents()).toEqual(['spaced out']);
    expect(await page.locator('table.cmp-hits td[data-label="Matched"]').allTextContents()).toEqual(
      ['“s c a b”'],
    );
    expectClean(a);
    await a.close();
  }, 120_000);

  it('shows the server’s refusal of a bad regex and keeps what was typed', async () => {
    const id = await draftRuleSet(world.officerA, 'DE', []);
    const a = await signedIn(browser, url, world.officerA);
    await open(a, url, `#/rule-sets/${id}`);
    const { page } = a;
    await page.getByRole('heading', { level: 1, name: 'DE rule set, version 1' }).waitFor(WAIT);
    await addRule(page, {
      name: 'Repeated words',
      kind: 'REGEX',
      pattern: String.raw`(\w+) \1`,
      action: 'FLAG',
      legalBasis: 'House rules',
      explanation: 'Repeated words are reviewed.',
    });
    const form = page.getByRole('form', { name: 'Add a rule' });
    const alert = form.getByRole('alert');
    await alert.waitFor(WAIT);
    expect(await alert.getAttribute('data-code')).toBe('BAD_USER_INPUT');
    const pattern = form.getByLabel('Pattern (RE2)');
    expect(await pattern.inputValue()).toBe(String.raw`(\w+) \1`);
    expect(await pattern.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel(/^Name/).inputValue()).toBe('Repeated words');
    expect(await form.getByLabel('Legal basis').inputValue()).toBe('House rules');
    expect(await page.locator('table.cmp-rules').count()).toBe(0);
    expectClean(a);
    await a.close();
  }, 120_000);

  it('rolls back to an earlier version through the UI', async () => {
    // Version 2 of US replaces version 1 (published by officer B through the API).
    const v2 = await draftRuleSet(world.officerA, 'US', [
      {
        name: 'Codename Y',
        matcher: { kind: 'KEYWORDS', terms: ['projecty'] },
        action: 'WITHHOLD',
        legalBasis: 'Policy 2',
        explanation: 'Withheld.',
      },
    ]);
    await publishRuleSet(world.officerB, v2);

    const a = await signedIn(browser, url, world.officerA);
    const { page } = a;
    await page.waitForURL(/#\/rules$/, WAIT);
    const card = page.locator('section[data-jurisdiction="US"]');
    await card.getByText('Active: version 2').waitFor(WAIT);
    await card.getByLabel('Roll back US to').selectOption('1');
    await card.getByRole('button', { name: 'Roll back…' }).click();
    await card.getByRole('button', { name: 'Confirm rollback to version 1' }).click();
    await card
      .getByRole('status')
      .filter({ hasText: 'Version 3 of US is now active' })
      .waitFor(WAIT);
    await card.getByText('Active: version 3').waitFor(WAIT);

    const { jurisdictions } = await dataOf(world.officerA.gql<Versions>(US_VERSIONS));
    const us = jurisdictions.find((j) => j.code === 'US');
    expect(us?.activeRuleSet).toMatchObject({ version: 3, basedOnVersion: 1 });
    expectClean(a);
    await a.close();
  }, 120_000);

  it('lists the publication in the audit log and checks the chain', async () => {
    const a = await signedIn(browser, url, world.officerA);
    await open(a, url, '#/audit');
    const { page } = a;
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(WAIT);
    await page.getByLabel('Action').selectOption('ruleSet.publish');
    const rows = page.locator('tr[data-action="ruleSet.publish"]');
    // The unfiltered page shows publications too: wait for the filtered answer to replace it.
    await waitFor(
      'the audit log filtered to publications',
      async () => {
        const shown = await page.locator('table.cmp-audit tbody tr').count();
        return shown > 0 && shown === (await rows.count());
      },
      { everyMs: 50 },
    );
    expect(await rows.first().textContent()).toContain(`ruleSet:`);
    expect(await rows.count()).toBe(2); // the draft of the first test and version 2
    await page.getByRole('button', { name: 'Check chain' }).click();
    await page.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor(WAIT);
    expectClean(a);
    await a.close();
  }, 120_000);

  it('draws the compliance actions per jurisdiction and shows the report', async () => {
    const a = await signedIn(browser, url, world.officerA);
    await open(a, url, '#/transparency');
    const { page } = a;
    const chart = page.locator('svg[role="img"]');
    await chart.waitFor(WAIT);
    await chart.locator('rect.cmp-bar').first().waitFor(WAIT);
    expect(await chart.locator('rect.cmp-bar').count()).toBeGreaterThanOrEqual(1);
    expect(await chart.getAttribute('aria-label')).toContain('US 1');
    await page
      .getByRole('region', { name: 'By jurisdiction whose rule acted' })
      .getByRole('rowheader', { name: 'US' })
      .waitFor(WAIT);
    await screenshot(page, 'console-transparency');
    expectClean(a);
    await a.close();
  }, 120_000);

  it('fits a phone width on every compliance page', async () => {
    const a = await signedIn(browser, url, world.officerA, PHONE);
    const { page } = a;
    for (const [hash, loaded] of [
      ['#/rules', 'section[data-jurisdiction="US"] table'],
      [`#/rule-sets/${draftId}`, 'table.cmp-rules'],
      ['#/audit', 'table.cmp-audit'],
      ['#/transparency', 'svg[role="img"] rect.cmp-bar'],
    ]) {
      await open(a, url, hash);
      await page.locator(loaded).first().waitFor(WAIT);
      const overflow = await sidewaysOverflow(page);
      expect([hash, Math.max(0, overflow)]).toEqual([hash, 0]);
    }
    expectClean(a);
    await a.close();
  }, 120_000);
});
