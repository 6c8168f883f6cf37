import { randomInt } from 'node:crypto';

/**
 * A copy of `items` in random order (Fisher–Yates with a cryptographic generator): the order
 * carries nothing of the input's, which is the point where rows are written in it.
 */
export function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
