import { decodeHTMLStrict } from 'entities';

/**
 * A text with its HTML character references (`&#102;`, `&#x66;`, `&amp;`, `&eacute;`) and
 * percent-encoded UTF-8 (`%66%75ck`, `%E4%B9%A0`) decoded, as evaders write terms that a
 * browser or a URL bar would show decoded. `origStarts[u]`/`origEnds[u]` is the span of the
 * original text that unit `u` of `text` comes from (a whole reference for decoded units);
 * `decoded[u]` is 1 for units that come from a reference.
 */
export interface DecodedText {
  readonly text: string;
  readonly origStarts: Int32Array;
  readonly origEnds: Int32Array;
  readonly decoded: Uint8Array;
}

/**
 * References end with `;` (strict HTML decoding), so "AT&T" or "R&D" are left alone; a run
 * of `%XX` is decoded only where it forms valid UTF-8 of printable characters, so "100%" or
 * "50%ab" stay as written.
 */
const RE_ENCODED =
  /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|(?:%[0-9A-Fa-f]{2})+/g;

/** The decoded text, or null when there is nothing to decode (the common case). */
export function decodeForMatching(text: string): DecodedText | null {
  if (text.indexOf('&') < 0 && text.indexOf('%') < 0) return null;
  const pieces: string[] = [];
  const origStarts: number[] = [];
  const origEnds: number[] = [];
  const decoded: number[] = [];
  let copiedUntil = 0;
  const copyUntil = (end: number): void => {
    if (end <= copiedUntil) return;
    pieces.push(text.slice(copiedUntil, end));
    for (let u = copiedUntil; u < end; u++) {
      origStarts.push(u);
      origEnds.push(u + 1);
      decoded.push(0);
    }
    copiedUntil = end;
  };
  const emit = (value: string, start: number, end: number): void => {
    copyUntil(start);
    pieces.push(value);
    for (let u = 0; u < value.length; u++) {
      origStarts.push(start);
      origEnds.push(end);
      decoded.push(1);
    }
    copiedUntil = end;
  };
  RE_ENCODED.lastIndex = 0;
  for (let m = RE_ENCODED.exec(text); m !== null; m = RE_ENCODED.exec(text)) {
    const raw = m[0];
    if (raw.charCodeAt(0) === 0x26 /* & */) {
      const value = decodeHTMLStrict(raw);
      if (value !== raw && isPrintable(value)) emit(value, m.index, m.index + raw.length);
    } else {
      decodePercentRun(raw, m.index, emit);
    }
  }
  if (pieces.length === 0) return null;
  copyUntil(text.length);
  return {
    text: pieces.join(''),
    origStarts: Int32Array.from(origStarts),
    origEnds: Int32Array.from(origEnds),
    decoded: Uint8Array.from(decoded),
  };
}

/** Decodes a run of `%XX` one UTF-8 sequence at a time; invalid bytes stay as written. */
function decodePercentRun(
  run: string,
  offset: number,
  emit: (value: string, start: number, end: number) => void,
): void {
  const count = run.length / 3;
  const bytes = new Array<number>(count);
  for (let k = 0; k < count; k++) bytes[k] = parseInt(run.slice(3 * k + 1, 3 * k + 3), 16);
  let k = 0;
  while (k < count) {
    const lead = bytes[k];
    const length = lead < 0x80 ? 1 : lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    let cp =
      length === 1 ? lead : length === 2 ? lead & 0x1f : length === 3 ? lead & 0x0f : lead & 0x07;
    let valid = length > 0 && lead <= 0xf4 && k + length <= count;
    for (let j = 1; valid && j < length; j++) {
      const byte = bytes[k + j];
      if ((byte & 0xc0) !== 0x80) valid = false;
      else cp = (cp << 6) | (byte & 0x3f);
    }
    const minimum = length === 2 ? 0x80 : length === 3 ? 0x800 : length === 4 ? 0x10000 : 0;
    if (valid && cp >= minimum && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) {
      const value = String.fromCodePoint(cp);
      if (isPrintable(value)) emit(value, offset + 3 * k, offset + 3 * (k + length));
      k += length;
    } else {
      k++;
    }
  }
}

const RE_CONTROL = /\p{Cc}/u;

function isPrintable(value: string): boolean {
  return value.length > 0 && !RE_CONTROL.test(value);
}
