/** A stretch of the tested text and the hits covering it (none: plain text). */
export interface Segment<H> {
  text: string;
  start: number;
  hits: H[];
}

/**
 * Cuts `text` at every hit's start and end (UTF-16 offsets, as the server gives them), so
 * overlapping hits become adjacent pieces, each knowing every hit that covers it. Hits out of
 * range are clamped; empty ones are ignored.
 */
export function segmentsOf<H extends { start: number; end: number }>(
  text: string,
  hits: readonly H[],
): Array<Segment<H>> {
  const clamp = (n: number) => Math.max(0, Math.min(text.length, n));
  const usable = hits
    .map((hit) => ({ hit, start: clamp(hit.start), end: clamp(hit.end) }))
    .filter((h) => h.end > h.start);
  const cuts = new Set<number>([0, text.length]);
  for (const h of usable) {
    cuts.add(h.start);
    cuts.add(h.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Array<Segment<H>> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    const covering = usable.filter((h) => h.start <= start && h.end >= end).map((h) => h.hit);
    const last = segments[segments.length - 1];
    // Neighbouring plain pieces are joined so that unmarked text stays one node.
    if (covering.length === 0 && last !== undefined && last.hits.length === 0)
      last.text += text.slice(start, end);
    else segments.push({ text: text.slice(start, end), start, hits: covering });
  }
  return segments;
}
