import type { Span } from './types';

/** Sorts spans and merges those that overlap or touch. Empty spans are dropped. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans
    .filter((span) => span.end > span.start)
    .map((span) => ({ start: span.start, end: span.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push(span);
  }
  return merged;
}

/**
 * Masks the given spans (hits or redaction spans) of `text`. Every code point inside a span
 * becomes `mask` (default `*`), so the masked text keeps its shape; spans are clamped to the
 * text and widened so as never to split a surrogate pair.
 */
export function redact(text: string, spans: readonly Span[], mask = '*'): string {
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of mergeSpans(spans)) {
    let start = Math.max(cursor, Math.min(span.start, text.length));
    let end = Math.max(start, Math.min(span.end, text.length));
    if (
      start > 0 &&
      isLowSurrogate(text.charCodeAt(start)) &&
      isHighSurrogate(text.charCodeAt(start - 1))
    ) {
      start--;
    }
    if (
      end < text.length &&
      isLowSurrogate(text.charCodeAt(end)) &&
      isHighSurrogate(text.charCodeAt(end - 1))
    ) {
      end++;
    }
    if (start < cursor) start = cursor;
    out += text.slice(cursor, start);
    out += mask.repeat(countCodePoints(text, start, end));
    cursor = end;
  }
  return out + text.slice(cursor);
}

function countCodePoints(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    if (!(
      isLowSurrogate(text.charCodeAt(i)) &&
      i > start &&
      isHighSurrogate(text.charCodeAt(i - 1))
    ))
      count++;
  }
  return count;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
