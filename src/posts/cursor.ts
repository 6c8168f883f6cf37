import { decodeOpaqueCursor, encodeOpaqueCursor } from '../common/opaque-cursor';

/** A position in an ordered list: the sort key of the last item seen and its id (tie-break). */
export interface Cursor {
  order: string;
  key: number;
  id: string;
}

/** Opaque to clients: base64url of [order, sort key, id]. */
export function encodeCursor(cursor: Cursor): string {
  return encodeOpaqueCursor([cursor.order, cursor.key, cursor.id]);
}

/** Decodes `after`; BAD_USER_INPUT when it is malformed or belongs to another ordering. */
export function decodeCursor(after: string | null | undefined, order: string): Cursor | null {
  if (after === undefined || after === null) return null;
  const [, key, id] = decodeOpaqueCursor(
    after,
    (parts): parts is [string, number, string] =>
      parts.length === 3 &&
      parts[0] === order &&
      typeof parts[1] === 'number' &&
      Number.isFinite(parts[1]) &&
      typeof parts[2] === 'string' &&
      parts[2].length <= 36,
    'after is not a cursor of this list.',
  );
  return { order, key, id };
}
