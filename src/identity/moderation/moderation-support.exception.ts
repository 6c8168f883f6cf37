import { AppException, BadUserInputException, ErrorCode } from '../../common/errors';

/** `extensions.reason` of a refused post, comment or vote. */
export enum PostingRestrictionReason {
  SUSPENDED = 'SUSPENDED',
  BANNED = 'BANNED',
}

/**
 * FORBIDDEN, with `extensions: { reason, until }` (`until`: ISO instant, null for a ban). Says
 * what the person may not do and until when; nothing about who decided or on which post.
 */
export class PostingRestrictedException extends AppException {
  constructor(reason: PostingRestrictionReason, until: Date | null) {
    super(
      ErrorCode.FORBIDDEN,
      reason === PostingRestrictionReason.BANNED || until === null
        ? 'You are banned from posting.'
        : `You are suspended from posting until ${until.toISOString()}.`,
      { reason, until: until === null ? null : until.toISOString() },
    );
  }
}

export class InvalidSanctionException extends BadUserInputException {
  constructor(message: string, field: string) {
    super(message, { fields: [field] });
  }
}

export class InvalidNotificationException extends BadUserInputException {
  constructor(message: string, field: string) {
    super(message, { fields: [field] });
  }
}
