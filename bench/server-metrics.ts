/**
 * What the load benchmarks read from a server's `/metrics` (Prometheus text): members' shared
 * answers found and not found, and the domain events not yet delivered.
 */

/** The `/metrics` bearer token the benchmarks start their servers with (METRICS_TOKEN). */
export const METRICS_TOKEN = 'bench-metrics-' + 'a1'.repeat(8);

/** The server's `/metrics` (Prometheus text). */
export async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return response.text();
}

/** Members' shared answers found and not found so far (MemberAnswers' counters on `/metrics`). */
export async function sharedAnswers(url: string): Promise<{ hits: number; misses: number }> {
  const text = await scrape(url);
  const count = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hits: count('member_cache_hits_total'), misses: count('member_cache_misses_total') };
}

/** The domain events not yet delivered, over every store's outbox, from the server's `/metrics`. */
export async function outboxPending(url: string): Promise<number> {
  let pending = 0;
  for (const [, value] of (await scrape(url)).matchAll(
    /^outbox_events\{[^}]*state="pending"[^}]*\} (\S+)$/gm,
  ))
    pending += Number(value);
  return pending;
}

/**
 * Resolves once every domain event published so far has been delivered (a hang is left to
 * the run's watchdog).
 */
export async function outboxDrained(url: string): Promise<void> {
  while ((await outboxPending(url)) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
}
