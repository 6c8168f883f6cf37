import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RATE_LIMIT_BUDGETS } from './budgets';

/** Every `.ts` file under `dir`, tests aside. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('RATE_LIMIT_BUDGETS', () => {
  it('lists every budget a refusal names in the code, so none is counted as "other"', () => {
    const named = new Set<string>();
    for (const file of sources(join(__dirname, '../..'))) {
      const text = readFileSync(file, 'utf8');
      // new RateLimitedException(seconds, 'budget') and AttemptLimiter.consume('budget', …)
      for (const [, budget] of text.matchAll(/RateLimitedException\([^()]*,\s*'([^']+)'\)/g))
        named.add(budget);
      for (const [, budget] of text.matchAll(/limiter\.consume\(\s*'([^']+)'/g)) named.add(budget);
    }
    expect(named.size).toBeGreaterThan(4);
    for (const budget of named) expect(RATE_LIMIT_BUDGETS).toContain(budget);
  });
});
