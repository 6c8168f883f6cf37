import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser suites run. Without Chromium they are skipped with a message, except
 * when REQUIRE_BROWSER=1 (CI), where a missing browser fails the run instead.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  console.warn(`Console browser tests skipped: no Chromium at ${CHROMIUM}`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** A console page with what the test must check afterwards: stray requests and errors. */
export interface ConsolePage {
  page: Page;
  /** Requests to any origin but the server's (the console must make none). */
  foreignRequests: string[];
  /** Console errors and uncaught exceptions (CSP violations land here too). */
  errors: string[];
  close(): Promise<void>;
}

export async function openConsole(
  browser: Browser,
  baseUrl: string,
  viewport = DESKTOP,
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).host !== new URL(baseUrl).host) foreignRequests.push(socket.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${baseUrl}/console/`);
  return { page, foreignRequests, errors, close: () => context.close() };
}

/** Signs in through the console's form and waits for the signed-in layout. */
export async function signInToConsole(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/**
 * Saves a screenshot: under SCREENSHOT_DIR when set (`npm run console:screenshots` points it
 * at docs/images), otherwise in the temporary folder so every run still takes it.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'console-screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** How far the page scrolls sideways (0 or less: it fits). Evaluated in the page. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}
