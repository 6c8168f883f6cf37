import type { Browser } from 'playwright-core';
import {
  browserAvailable,
  launchChromium,
  openConsole,
  PHONE,
  signInToConsole,
  sidewaysOverflow,
} from '../../utils/browser';
import { type ConsoleWorld, createConsoleWorld } from '../../utils/console-world';

const run = browserAvailable() ? describe : describe.skip;

run('staff console: serving, sign-in and layout', () => {
  let world: ConsoleWorld;
  let browser: Browser;

  beforeAll(async () => {
    [world, browser] = await Promise.all([createConsoleWorld(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('serves the console with its own CSP, cache headers and a 404 for unknown files', async () => {
    const index = await fetch(`${world.app.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await index.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${world.app.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${world.app.url}/console/nothing-here.js`)).status).toBe(404);
    // Without the trailing slash the browser is sent to the folder.
    const bare = await fetch(`${world.app.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
  });

  it('turns away a member without a staff role', async () => {
    const { page, foreignRequests, errors, close } = await openConsole(browser, world.app.url);
    await page.getByLabel('Email').fill(world.member.email);
    await page.getByLabel('Password').fill(world.member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'no staff role' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    expect(foreignRequests).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('shows a wrong password as the server says it', async () => {
    const { page, close } = await openConsole(browser, world.app.url);
    await page.getByLabel('Email').fill(world.moderator.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('UNAUTHENTICATED');
    await close();
  });

  it('signs a moderator in to the queue, shows only their sections, and signs out', async () => {
    const { page, foreignRequests, errors, close } = await openConsole(browser, world.app.url);
    await signInToConsole(page, world.moderator.email, world.moderator.password);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Review queue']);
    await page.waitForURL(/#\/queue$/);
    // Focus moves to the page heading, and the session survives a reload of the tab.
    await page.reload();
    await nav.waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(foreignRequests).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('fits a phone width without sideways scrolling', async () => {
    const { page, close } = await openConsole(browser, world.app.url, PHONE);
    await signInToConsole(page, world.officerA.email, world.officerA.password);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Rules',
      'Audit log',
      'Transparency',
    ]);
    const overflow = await sidewaysOverflow(page);
    expect(overflow).toBeLessThanOrEqual(0);
    await close();
  });
});
