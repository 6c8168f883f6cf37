import { BadUserInputException } from './errors';

/**
 * Seals and opens cursor payloads (CursorCipher: AES-256-GCM under a key derived from
 * APP_SECRET, the kind bound as associated data).
 */
export interface CursorSeal {
  seal(kind: string, plaintext: Buffer): string;
  /** null when the cursor does not open as one of `kind`. */
  open(kind: string, sealed: string): Buffer | null;
}

/**
 * Payloads are padded to a multiple of this many bytes (JSON allows trailing spaces), so a
 * cursor's length does not tell how many digits its sort key has.
 */
const PAD_BYTES = 128;

/**
 * An opaque cursor of a list of `kind` (say `threads:<board id>:NEW`): the JSON array `parts`,
 * padded and sealed, so clients learn nothing of the times, ranks or ids inside. Clients pass
 * it back as `after`.
 */
export function encodeOpaqueCursor(
  seal: CursorSeal,
  kind: string,
  parts: readonly unknown[],
): string {
  const json = Buffer.from(JSON.stringify(parts), 'utf8');
  const padded = Buffer.alloc(Math.ceil(json.length / PAD_BYTES) * PAD_BYTES, ' ');
  json.copy(padded);
  return seal.seal(kind, padded);
}

/**
 * The parts of a cursor made by `encodeOpaqueCursor` for the same `kind`, when `valid` accepts
 * them; otherwise (malformed, tampered with, another list's, sealed under a retired key)
 * BAD_USER_INPUT naming `after` with `message`.
 */
export function decodeOpaqueCursor<T extends unknown[]>(
  seal: CursorSeal,
  kind: string,
  after: string,
  valid: (parts: unknown[]) => parts is T,
  message: string,
): T {
  let parsed: unknown = null;
  const opened = seal.open(kind, after);
  if (opened !== null) {
    try {
      parsed = JSON.parse(opened.toString('utf8'));
    } catch {
      parsed = null;
    }
  }
  if (!Array.isArray(parsed) || !valid(parsed)) {
    throw new BadUserInputException(message, { fields: ['after'] });
  }
  return parsed;
}

/**
 * `target` with a `cursor` sealed when it is first read, then kept. A connection's edges get
 * their cursors this way, so a client that pages by `endCursor` alone costs one seal a page,
 * and the last edge's cursor is the page's `endCursor`.
 */
export function withLazyCursor<T extends object>(
  target: T,
  seal: () => string,
): T & { readonly cursor: string } {
  let sealed: string | undefined;
  return Object.defineProperty(target, 'cursor', {
    get: () => (sealed ??= seal()),
    enumerable: true,
  }) as T & { readonly cursor: string };
}

/** The most items a connection page holds. */
export const PAGE_MAX = 100;

/** `first` of a connection: 1..100, required (SPEC §3); BAD_USER_INPUT otherwise. */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX) {
    throw new BadUserInputException(`first must be between 1 and ${PAGE_MAX}.`, {
      fields: ['first'],
    });
  }
  return first;
}
