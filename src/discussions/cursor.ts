import { BadUserInputException } from '../common/errors';

export const PAGE_MAX = 100;

/** `first` of a connection: 1..100, required (SPEC §3). */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX) {
    throw new BadUserInputException(`first must be between 1 and ${PAGE_MAX}.`, {
      fields: ['first'],
    });
  }
  return first;
}

/** A position in an ordered list: the sort key of the last item seen and its id (tie-break). */
export interface Cursor {
  order: string;
  key: number;
  id: string;
}

/** Opaque to clients: base64url of [order, sort key, id]. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.key, cursor.id])).toString('base64url');
}

/** Decodes `after`; BAD_USER_INPUT when it is malformed or belongs to another ordering. */
export function decodeCursor(after: string | null | undefined, order: string): Cursor | null {
  if (after === undefined || after === null) return null;
  const invalid = () =>
    new BadUserInputException('after is not a cursor of this list.', { fields: ['after'] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== order ||
    typeof parsed[1] !== 'number' ||
    !Number.isFinite(parsed[1]) ||
    typeof parsed[2] !== 'string' ||
    parsed[2].length > 36
  ) {
    throw invalid();
  }
  return { order, key: parsed[1], id: parsed[2] };
}
