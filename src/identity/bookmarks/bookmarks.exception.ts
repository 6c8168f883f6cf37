import { BadUserInputException } from '../../common/errors';

/** `extensions.reason` of a bookmark refused because the list is full. */
export const BOOKMARK_LIMIT_REASON = 'BOOKMARK_LIMIT';

export class BookmarkLimitException extends BadUserInputException {
  constructor(cap: number) {
    super(`You can keep at most ${cap} bookmarks; remove some to add more.`, {
      fields: ['id'],
      reason: BOOKMARK_LIMIT_REASON,
    });
  }
}
