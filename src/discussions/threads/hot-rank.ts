/** Seconds of age that weigh as much as a tenfold score (12.5 hours), as in Reddit's ranking. */
export const HOT_DECAY_SECONDS = 45_000;

/**
 * HOT order (docs/discussions.md): sign(s) · log10(max(|s|, 1)) + createdSeconds / 45000.
 * Newer threads start higher; votes lift a thread logarithmically (10 votes ≈ 12.5 hours,
 * 100 votes ≈ 25 hours). Stored in `hot_rank` and recomputed on every vote.
 */
export function hotRank(score: number, createdAt: Date): number {
  const order = Math.log10(Math.max(Math.abs(score), 1));
  return Math.sign(score) * order + createdAt.getTime() / 1000 / HOT_DECAY_SECONDS;
}
