import type { Browser } from 'playwright-core';
import {
  type ConsolePage,
  launchChromium,
  openConsole,
  type PHONE,
  signInToConsole,
} from '../../utils/browser';
import { dataOf } from '../../utils/compliance-client';
import {
  type ConsoleWorld,
  createConsoleWorld,
  holdPostsContaining,
} from '../../utils/console-world';
import type { SignedInClient } from '../../utils/identity-client';

/** How long a browser step may wait for the page. */
export const WAIT = { timeout: 30_000 };

export const CREATE_THREAD = `mutation ($b: ID!, $t: String!, $body: String!) {
  createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } }
}`;

/** A new tab signed in as `who`, on the review queue (where the shell sends a moderator). */
export async function signedInToQueue(
  browser: Browser,
  world: ConsoleWorld,
  who: SignedInClient,
  viewport?: typeof PHONE,
): Promise<ConsolePage> {
  const opened = await openConsole(browser, world.app.url, viewport);
  await signInToConsole(opened.page, who.email, who.password);
  await opened.page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor(WAIT);
  return opened;
}

/** The tab loaded nothing from elsewhere and logged no error. */
export function expectClean({ foreignRequests, errors }: ConsolePage): void {
  expect(foreignRequests).toEqual([]);
  expect(errors).toEqual([]);
}

/** Posts containing it are held for review by the US rule set `holdRule` publishes. */
export const HOLD_WORD = 'walkout';

/**
 * The moderation suites' common setup: `moderator` gets the MODERATOR role, and the officers
 * publish a US rule "Collective action" that holds posts containing HOLD_WORD.
 */
export async function holdRuleAndModerator(
  world: ConsoleWorld,
  moderator: SignedInClient,
): Promise<void> {
  await dataOf(
    world.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
      e: moderator.email,
    }),
  );
  await holdPostsContaining(world, HOLD_WORD);
}

/** The app (one report from a new reporter queues a post) and a browser, started together. */
export function startModerationWorld(): Promise<[ConsoleWorld, Browser]> {
  return Promise.all([
    createConsoleWorld({
      EMAIL_CODES_PER_IP_PER_HOUR: '500',
      AUTH_RATE_LIMIT_MAX: '1000',
      REPORT_QUEUE_THRESHOLD: '1',
    }),
    launchChromium(),
  ]);
}
