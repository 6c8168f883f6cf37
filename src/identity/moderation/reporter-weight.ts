/**
 * How much one report weighs, from the reporter's track record (Discourse's "user flag
 * score" idea, with a Laplace prior):
 *
 *     weight = 0.5 + (upheld + 1) / (upheld + rejected + 2)
 *
 * - a new reporter (0, 0) weighs 0.5 + 1/2 = 1.0;
 * - one whose reports are always upheld approaches 1.5 (e.g. 8 upheld, 0 rejected → 1.4);
 * - one whose reports are always rejected approaches 0.5 (e.g. 0 upheld, 8 rejected → 0.6);
 * - the +1/+2 keeps a single outcome from swinging the weight to an extreme.
 *
 * Always within (0.5, 1.5): a bad track record halves a report's weight, never silences it.
 */
export function reporterWeight(upheld: number, rejected: number): number {
  const u = Math.max(0, upheld);
  const r = Math.max(0, rejected);
  return 0.5 + (u + 1) / (u + r + 2);
}
