import { BadUserInputException } from './errors';

/** An opaque cursor: base64url of a JSON array. Clients pass it back as `after`. */
export function encodeOpaqueCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * The parts of a cursor made by `encodeOpaqueCursor`, when `valid` accepts them; otherwise
 * BAD_USER_INPUT naming `after` with `message`.
 */
export function decodeOpaqueCursor<T extends unknown[]>(
  after: string,
  valid: (parts: unknown[]) => parts is T,
  message: string,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || !valid(parsed)) {
    throw new BadUserInputException(message, { fields: ['after'] });
  }
  return parsed;
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
