import { readFileSync } from 'node:fs';
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

const run = browserAvailable() ? describe : describe.skip;

const WAIT = { timeout: 30_000 };
const TERM = 'projectx';
const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } }
}`;
const US_VERSIONS = `{ jurisdictions { code activeRuleSet { id version basedOnVersion } } }`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const STAFF_HANDLE = '{ viewer { staffHandle } }';

/** A KEYWORDS rule input for the API. */
const keywords = (name: string, terms: string[], action: string) => ({
  name,
  matcher: { kind: 'KEYWORDS', terms },
  action,
  legalBasis: `Basis of ${name}`,
  explanation: `${name}.`,
});

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
    // No active version yet: every rule is new.
    const diff = b.page.getByTestId('rule-set-diff');
    expect(
      await diff.getByRole('list', { name: 'Added rules' }).locator('li strong').allTextContents(),
    ).toEqual(['Project X leaks', 'Salary figures', 'Email addresses']);
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
    // The error names the rule, never internal ids.
    expect(await alert.textContent()).toContain('Rule "Repeated words", matcher.pattern:');
    expect(await alert.textContent()).not.toMatch(UUID);
    const pattern = form.getByLabel('Pattern (RE2)');
    expect(await pattern.inputValue()).toBe(String.raw`(\w+) \1`);
    expect(await pattern.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel(/^Name/).inputValue()).toBe('Repeated words');
    expect(await form.getByLabel('Legal basis').inputValue()).toBe('House rules');
    expect(await page.locator('table.cmp-rules').count()).toBe(0);
    expectClean(a);
    await a.close();
  }, 120_000);

  it('offers FLAG, the least destructive action, as a new rule’s default and spells out each', async () => {
    const id = await draftRuleSet(world.officerA, 'IT', []);
    const a = await signedIn(browser, url, world.officerA);
    await open(a, url, `#/rule-sets/${id}`);
    const { page } = a;
    const form = page.getByRole('form', { name: 'Add a rule' });
    const action = form.getByLabel(/^Action/);
    await action.waitFor(WAIT);
    expect(await action.inputValue()).toBe('FLAG');
    // Least destructive first, BLOCK last.
    const values = await Promise.all(
      (await action.locator('option').all()).map((option) => option.getAttribute('value')),
    );
    expect(values).toEqual(['FLAG', 'REDACT', 'HOLD', 'WITHHOLD', 'BLOCK']);
    const consequence = form.getByTestId('action-consequence');
    expect(await consequence.textContent()).toMatch(/^FLAG: Posts stay up .*least destructive/);
    await action.selectOption('BLOCK');
    expect(await consequence.textContent()).toMatch(/^BLOCK: Posts are refused at submission/);
    expect(await action.getAttribute('aria-describedby')).toBe('rule-action-consequence');
    expectClean(a);
    await a.close();
  }, 120_000);

  it('shows the second officer the diff, asks before a retroactive publish and follows the run', async () => {
    // Two published posts with a term the new version withholds in CA.
    for (const title of ['Syrup one', 'Syrup two']) {
      const made = await world.member.gql(CREATE_THREAD, {
        b: world.boardId,
        t: title,
        body: 'the maplesyrup budget is gone',
      });
      expect(made.errors).toBeUndefined();
    }
    const v1 = await draftRuleSet(world.officerA, 'CA', [
      keywords('Hockey', ['puckgate'], 'FLAG'),
      keywords('Old rule', ['oldterm'], 'HOLD'),
    ]);
    await publishRuleSet(world.officerB, v1);
    const v2 = await draftRuleSet(world.officerA, 'CA', [
      keywords('Hockey', ['puckgate', 'icegate'], 'WITHHOLD'),
      keywords('Syrup', ['maplesyrup'], 'WITHHOLD'),
    ]);

    const b = await signedIn(browser, url, world.officerB);
    await open(b, url, `#/rule-sets/${v2}`);
    const { page } = b;
    const diff = page.getByTestId('rule-set-diff');
    await diff.waitFor(WAIT);
    expect(
      await diff.getByRole('list', { name: 'Added rules' }).locator('li strong').allTextContents(),
    ).toEqual(['Syrup']);
    expect(
      await diff
        .getByRole('list', { name: 'Removed rules' })
        .locator('li strong')
        .allTextContents(),
    ).toEqual(['Old rule']);
    const changed = diff.getByRole('list', { name: 'Changed rules' }).locator('li');
    expect(await changed.locator('strong').allTextContents()).toEqual(['Hockey']);
    const fields = changed.locator('dl > div');
    expect(await fields.locator('dt').allTextContents()).toEqual(['Matcher', 'Action']);
    expect(await fields.nth(0).locator('del').textContent()).toBe('Keywords: puckgate');
    expect(await fields.nth(0).locator('ins').textContent()).toBe('Keywords: puckgate, icegate');
    expect(await fields.nth(1).locator('del').textContent()).toBe('FLAG');
    expect(await fields.nth(1).locator('ins').textContent()).toBe('WITHHOLD');
    // The diff sits beside the Publish button.
    await page.getByRole('button', { name: /^Publish version 2/ }).waitFor(WAIT);

    // A preview first: the confirmation quotes its count.
    await page.getByLabel('Posts since').fill('2000-01-01');
    await page.getByRole('button', { name: 'Preview impact' }).click();
    await page.getByText(/posts scanned would change/).waitFor(WAIT);

    await page.getByLabel('Apply retroactively to posts already published').check();
    await page.getByRole('button', { name: 'Publish version 2…' }).click();
    const dialog = page.getByRole('alertdialog', {
      name: 'Publish version 2 and apply it to past posts?',
    });
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toMatch(/found 2 of \d+ posts would change/);
    // The confirmation takes the focus, on its harmless choice (once it has rendered: waited for).
    await page.waitForFunction("document.activeElement?.textContent === 'Cancel'", undefined, WAIT);
    expect(await page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe(
      'Cancel',
    );
    // Cancelling publishes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('rule-set-status').textContent()).toContain('DRAFT');
    await page.getByRole('button', { name: 'Publish version 2…' }).click();
    await dialog.getByRole('button', { name: 'Publish and apply to past posts' }).click();

    await page.getByTestId('rule-set-status').getByText('ACTIVE').waitFor(WAIT);
    const bar = page.getByRole('progressbar');
    await bar.waitFor(WAIT);
    await page
      .getByTestId('run-status')
      .getByText(/^Finished\./)
      .waitFor(WAIT);
    const [now, max] = await Promise.all([
      bar.getAttribute('aria-valuenow'),
      bar.getAttribute('aria-valuemax'),
    ]);
    expect(Number(max)).toBeGreaterThanOrEqual(2);
    expect(now).toBe(max);
    expect(await page.getByTestId('run-status').textContent()).toBe(
      `Finished. Scanned ${Number(max).toLocaleString('en-US')} of ${Number(max).toLocaleString('en-US')} · 2 changed`,
    );
    await screenshot(page, 'console-retroactive-run');
    expectClean(b);
    await b.close();
  }, 180_000);

  it('rolls back under four eyes: a draft by one officer, published by the other', async () => {
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
    const row = page.locator('tr[data-jurisdiction="US"]');
    await row.getByRole('link', { name: 'Version 2' }).waitFor(WAIT);
    await row.getByText('History and rollback').click();
    await row.getByLabel('Roll back US to').selectOption('1');
    await row.getByRole('button', { name: 'Roll back…' }).click();
    const confirm = row.getByRole('form', { name: 'Confirm rollback' });
    expect(await confirm.textContent()).toContain(
      'another compliance officer reviews and publishes it',
    );
    // An emergency needs a reason: the form will not send without one.
    await confirm.getByLabel('Emergency: publish now without a second officer').check();
    expect(await confirm.getByLabel(/^Reason/).getAttribute('required')).not.toBeNull();
    await confirm.getByLabel('Emergency: publish now without a second officer').uncheck();
    await confirm.getByRole('button', { name: 'Confirm rollback to version 1' }).click();
    const made = row
      .getByRole('status')
      .filter({ hasText: 'Draft version 3 of US restores the rules of version 1' });
    await made.waitFor(WAIT);
    // Still version 2 in force; the row links the rollback draft.
    await row.locator('td[data-label="Draft"]').getByText('(rollback of 1)').waitFor(WAIT);
    const { jurisdictions } = await dataOf(world.officerA.gql<Versions>(US_VERSIONS));
    expect(jurisdictions.find((j) => j.code === 'US')?.activeRuleSet).toMatchObject({ version: 2 });
    await made.getByRole('link', { name: 'open the rollback draft' }).click();
    await page.getByTestId('rollback-of').getByText('Rollback of version 1').waitFor(WAIT);
    await page.getByTestId('four-eyes-notice').waitFor(WAIT);
    const draftUrl = page.url();
    expectClean(a);
    await a.close();

    const b = await signedIn(browser, url, world.officerB);
    await b.page.goto(draftUrl);
    await b.page.getByRole('heading', { level: 1, name: 'US rule set, version 3' }).waitFor(WAIT);
    const diff = b.page.getByTestId('rule-set-diff');
    await diff.getByRole('list', { name: 'Removed rules' }).waitFor(WAIT);
    expect(
      await diff
        .getByRole('list', { name: 'Removed rules' })
        .locator('li strong')
        .allTextContents(),
    ).toEqual(['Codename Y']);
    await b.page.getByRole('button', { name: 'Publish version 3' }).click();
    await b.page.getByTestId('rule-set-status').getByText('ACTIVE').waitFor(WAIT);

    const after = await dataOf(world.officerA.gql<Versions>(US_VERSIONS));
    expect(after.jurisdictions.find((j) => j.code === 'US')?.activeRuleSet).toMatchObject({
      version: 3,
      basedOnVersion: 1,
    });
    expectClean(b);
    await b.close();
  }, 120_000);

  it('keeps the rules page compact: one row per jurisdiction with rule sets, one action each', async () => {
    const a = await signedIn(browser, url, world.officerA);
    const { page } = a;
    const rows = page.locator('table.cmp-jurisdictions > tbody > tr');
    await page.locator('tr[data-jurisdiction="US"]').waitFor(WAIT);
    const codes = await Promise.all(
      (await rows.all()).map((row) => row.getAttribute('data-jurisdiction')),
    );
    expect(codes).toEqual(expect.arrayContaining(['US', 'FR', 'DE', 'CA', 'IT']));
    // Each row: a link to the draft, or one "New draft"; never both, never more.
    for (let i = 0; i < codes.length; i++) {
      const row = rows.nth(i);
      const newDrafts = await row.getByRole('button', { name: /^New draft for / }).count();
      const openDraft = await row.getByRole('link', { name: /^Open draft/ }).count();
      expect([codes[i], newDrafts + openDraft]).toEqual([codes[i], 1]);
    }
    // Every jurisdiction without a rule set is one picker with one button, not a row each.
    const picker = page.getByLabel('Start a rule set for');
    expect(await picker.locator('option').count()).toBeGreaterThan(40);
    expect(await page.getByRole('button', { name: /^New draft for / }).count()).toBe(
      codes.length - (await page.getByRole('link', { name: /^Open draft/ }).count()) + 1,
    );
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height).toBeLessThan(1500); // was 4,112 px with cards and a row per jurisdiction
    await screenshot(page, 'console-rules');
    expectClean(a);
    await a.close();
  }, 120_000);

  it('filters the audit log by actor and days, links subjects, reads details and exports CSV', async () => {
    const handleB = (
      await dataOf(world.officerB.gql<{ viewer: { staffHandle: string } }>(STAFF_HANDLE))
    ).viewer.staffHandle;
    const a = await signedIn(browser, url, world.officerA);
    await open(a, url, '#/audit');
    const { page } = a;
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(WAIT);
    const filters = page.getByRole('form', { name: 'Filter the audit log' });
    const shown = page.locator('table.cmp-audit tbody tr');
    await shown.first().waitFor(WAIT);

    /** Waits for the answer to the filters: the summary line names the filters it was loaded with. */
    const summary = page.getByTestId('audit-summary');
    const loaded = (text: string) => summary.getByText(text, { exact: true }).waitFor(WAIT);
    const rowsOf = async () =>
      Promise.all(
        (await shown.all()).map(async (tr) => ({
          actor: (await tr.locator('td[data-label="Actor"]').textContent()) ?? '',
          action: (await tr.getAttribute('data-action')) ?? '',
        })),
      );

    await filters.getByLabel(/^Action/).selectOption('ruleSet.publish');
    await filters.getByRole('combobox', { name: 'Actor', exact: true }).fill(handleB);
    await filters.getByRole('combobox', { name: 'Actor', exact: true }).press('Enter');
    // US v1, CA v1, US v2, CA v2 and the rollback draft US v3: all published by B.
    await loaded(`5 entries · ruleSet.publish · by ${handleB}`);
    expect(
      (await rowsOf()).every((r) => r.action === 'ruleSet.publish' && r.actor.startsWith(handleB)),
    ).toBe(true);

    // A subject is a link to the version's page, named, not a UUID.
    const subject = shown.first().locator('td[data-label="Subject"] a');
    expect(await subject.textContent()).toMatch(/^Rule set (US|CA) version \d$/);
    expect(await subject.getAttribute('href')).toMatch(/^#\/rule-sets\/[0-9a-f-]{36}$/);
    // Details are key: value lines, not JSON.
    const details = shown.first().locator('td[data-label="Details"] dl.cmp-kv');
    expect(await details.locator('dt').allTextContents()).toEqual(
      expect.arrayContaining(['jurisdiction', 'version', 'superseded', 'applyRetroactively']),
    );
    expect(await shown.first().locator('td[data-label="Details"]').textContent()).not.toContain(
      '{',
    );

    // Days: today keeps them, from tomorrow on there are none.
    const today = await page.evaluate<string>(
      "(() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); })()",
    );
    await filters.getByRole('textbox', { name: 'From', exact: true }).fill(today);
    await filters.getByRole('textbox', { name: 'To', exact: true }).fill(today);
    await loaded(`5 entries · ruleSet.publish · by ${handleB} · from ${today} · to ${today}`);

    // The CSV holds exactly the filtered entries.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('at,log,seq,actorHandle,actorRole,action,subject,detail');
    expect(csv).toHaveLength(6);
    expect(
      csv
        .slice(1)
        .every((line) => line.includes(`,${handleB},COMPLIANCE_OFFICER,ruleSet.publish,ruleSet:`)),
    ).toBe(true);
    await page.getByText('5 entries exported.').waitFor(WAIT);

    const tomorrow = await page.evaluate<string>(
      "(() => { const d = new Date(Date.now() + 86400000); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); })()",
    );
    await filters.getByRole('textbox', { name: 'To', exact: true }).fill('');
    await filters.getByRole('textbox', { name: 'From', exact: true }).fill(tomorrow);
    await page.getByText('No entries match these filters.').waitFor(WAIT);

    // Following a subject opens the version.
    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await filters.getByLabel(/^Action/).selectOption('ruleSet.rollbackDraft');
    await loaded('1 entry · ruleSet.rollbackDraft');
    await shown
      .first()
      .locator('td[data-label="Subject"] a', { hasText: 'Rule set US version 3' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'US rule set, version 3' }).waitFor(WAIT);

    await open(a, url, '#/audit');
    await page.getByRole('button', { name: 'Check chain' }).click();
    await page.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor(WAIT);
    await screenshot(page, 'console-audit-log');
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
      ['#/rules', 'tr[data-jurisdiction="US"]'],
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
