import { TEST_METRICS_TOKEN } from './test-env';

/** The server's Prometheus text (GET /metrics with the test servers' token). */
export async function scrapeMetrics(
  baseUrl: string,
  metricsToken = TEST_METRICS_TOKEN,
): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}

/**
 * The value of the sample `name{labels}` in Prometheus text (labels in any order, all of them
 * given); undefined when the text has no such sample.
 */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const [, found, rest, value] of text.matchAll(
    /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/gm,
  )) {
    if (found !== name) continue;
    const given = (rest ?? '').split(',').filter(Boolean).sort().join(',');
    if (given === wanted) return Number(value);
  }
  return undefined;
}

/** Every metric family the text declares (`# TYPE`), with a histogram's `_bucket`, `_sum`, `_count`. */
export function metricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, kind] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (kind === 'histogram' || kind === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** Members' shared answers looked up so far: found (hits) and not (misses), from `/metrics`. */
export async function memberCacheCounters(
  baseUrl: string,
): Promise<{ hits: number; misses: number }> {
  const text = await scrapeMetrics(baseUrl);
  return {
    hits: metricValue(text, 'member_cache_hits_total') ?? 0,
    misses: metricValue(text, 'member_cache_misses_total') ?? 0,
  };
}
