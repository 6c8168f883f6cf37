/** The most slots one probe asks about (one query of that many keys). */
const PROBE_WIDTH = 32;

/** Slots are counted up to 2^40, far beyond what one member writes. */
const MAX_POWER = 40;

/** The slots a hint's round asks about: the one below it and this many from it up. */
const HINT_WIDTH = 3;

/**
 * How many slots are taken when they are taken from 0 upwards without gaps (slot n exists
 * for every n below the count and for none above), asking `taken` about a batch of slots per
 * round: first the powers of two, then evenly spaced slots between the bounds. A member with
 * 3 posts costs 2 rounds, with 1,000 posts 3 or 4; never more than about 9.
 *
 * With a `hint` (the count found last time), one round first asks about the slot below it and
 * the few from it up: when the count is among them (no post, or a few, since), that round
 * settles it; otherwise the rounds above follow.
 */
export async function countTakenSlots(
  taken: (slots: readonly number[]) => Promise<ReadonlySet<number>>,
  hint?: number,
): Promise<number> {
  if (hint !== undefined && Number.isSafeInteger(hint) && hint >= 0) {
    const near = Array.from({ length: HINT_WIDTH + 1 }, (_, i) => hint - 1 + i).filter(
      (slot) => slot >= 0,
    );
    const found = await taken(near);
    if (hint === 0 || found.has(hint - 1)) {
      const free = near.find((slot) => slot >= hint && !found.has(slot));
      if (free !== undefined) return free;
    }
  }
  // The count c satisfies low <= c <= high; "slot m - 1 taken" means c >= m.
  let low = 0;
  let high = 2 ** MAX_POWER;
  let candidates = Array.from({ length: MAX_POWER + 1 }, (_, i) => 2 ** i);
  while (candidates.length > 0) {
    const found = await taken(candidates.map((m) => m - 1));
    for (const m of candidates) {
      if (found.has(m - 1)) low = Math.max(low, m);
      else high = Math.min(high, m - 1);
    }
    candidates = spread(low, high);
  }
  return low;
}

/** Up to PROBE_WIDTH distinct values evenly spread over (low, high]. */
function spread(low: number, high: number): number[] {
  const width = high - low;
  const steps = Math.min(width, PROBE_WIDTH);
  return Array.from({ length: steps }, (_, j) => low + Math.ceil(((j + 1) * width) / steps));
}
