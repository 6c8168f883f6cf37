import { type CursorSeal, decodeOpaqueCursor, encodeOpaqueCursor } from '../common/opaque-cursor';

/** A position in an ordered list: the sort key of the last item seen and its id (tie-break). */
export interface Cursor {
  order: string;
  key: number;
  id: string;
}

/**
 * Opaque to clients: [order, sort key, id] sealed for `list` (a board's feed, a thread's
 * comments) and the order, so a cursor of another list or another order does not open.
 */
export function encodeCursor(seal: CursorSeal, list: string, cursor: Cursor): string {
  return encodeOpaqueCursor(seal, `${list}:${cursor.order}`, [cursor.order, cursor.key, cursor.id]);
}

/** Decodes `after`; BAD_USER_INPUT when it is malformed or belongs to another list or ordering. */
export function decodeCursor(
  seal: CursorSeal,
  list: string,
  after: string | null | undefined,
  order: string,
): Cursor | null {
  if (after === undefined || after === null) return null;
  const [, key, id] = decodeOpaqueCursor(
    seal,
    `${list}:${order}`,
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

/** The list of a board's feed, for `encodeCursor` / `decodeCursor`. */
export const feedList = (boardId: string): string => `threads:${boardId}`;

/** The list of the home feed (every board the viewer reads), for `encodeCursor` / `decodeCursor`. */
export const HOME_LIST = 'threads:home';

/** The list of a thread's comments, for `encodeCursor` / `decodeCursor`. */
export const commentList = (threadId: string): string => `comments:${threadId}`;
