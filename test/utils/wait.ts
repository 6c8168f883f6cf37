import { scrapeMetrics } from './metrics';
import { TEST_METRICS_TOKEN } from './test-env';

/**
 * Waiting for events, not for time. Each helper waits for something that happens (a value
 * appears, the server registers a subscription, the clock moves on) and fails only after a
 * generous limit, which catches hangs without deciding how fast a busy machine must be.
 */

/** How long a wait may take before it counts as a hang. */
export const HANG_MS = 30_000;

/** The interval between two looks of a poll (not a wait of its own). */
export const pollInterval = (ms = 20) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` until it returns something other than `undefined`, `null` or `false`, and
 * returns that; throws after `limitMs`, naming `what`.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { limitMs = HANG_MS, everyMs = 20 }: { limitMs?: number; everyMs?: number } = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false)
      return value as Exclude<T, undefined | null | false>;
    if (Date.now() > deadline) throw new Error(`waited ${limitMs} ms for ${what}`);
    await pollInterval(everyMs);
  }
}

/**
 * The server's live pub/sub subscriptions by topic, from its `pubsub_subscriptions` gauge
 * (GET /metrics). `review-queue-changed` and `comment-added` are GraphQL subscriptions,
 * `cluster` the instances' own.
 */
export async function subscriptionCounts(
  baseUrl: string,
  metricsToken = TEST_METRICS_TOKEN,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [, topic, value] of (await scrapeMetrics(baseUrl, metricsToken)).matchAll(
    /^pubsub_subscriptions\{topic="([^"]*)"\} (\S+)$/gm,
  ))
    counts.set(topic, Number(value));
  return counts;
}

/** The server's live subscriptions to `topic` (0 when it has none). */
export async function subscriptionCount(
  baseUrl: string,
  topic: string,
  metricsToken = TEST_METRICS_TOKEN,
): Promise<number> {
  return (await subscriptionCounts(baseUrl, metricsToken)).get(topic) ?? 0;
}

/** The server's live GraphQL subscriptions, every topic but the instances' own (`cluster`). */
export async function graphqlSubscriptionCount(
  baseUrl: string,
  metricsToken = TEST_METRICS_TOKEN,
): Promise<number> {
  let total = 0;
  for (const [topic, count] of await subscriptionCounts(baseUrl, metricsToken))
    if (topic !== 'cluster') total += count;
  return total;
}

/**
 * Resolves once the server counts at least `atLeast` live subscriptions to `topic`: from then
 * on, an event on that topic reaches every one of them.
 */
export async function waitForSubscriptions(
  baseUrl: string,
  topic: string,
  atLeast = 1,
  metricsToken = TEST_METRICS_TOKEN,
): Promise<void> {
  await waitFor(`${atLeast} subscription(s) to ${topic}`, async () => {
    return (await subscriptionCount(baseUrl, topic, metricsToken)) >= atLeast;
  });
}

/**
 * Resolves once the clock has moved past `since` (by default, now): for rows ordered by a
 * time in milliseconds, so that the next one is later than the last.
 */
export async function clockPast(since = Date.now()): Promise<void> {
  while (Date.now() <= since) await new Promise<void>((resolve) => setImmediate(resolve));
}
