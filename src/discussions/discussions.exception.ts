import {
  AppException,
  BadUserInputException,
  ErrorCode,
  ForbiddenException,
  NotFoundException,
} from '../common/errors';

/** Missing, deleted or not readable by the viewer: the same answer, so existence does not leak. */
export class ContentNotFoundException extends NotFoundException {
  constructor(what: 'thread' | 'comment' | 'content') {
    super(`No such ${what}.`);
  }
}

export class NotTheAuthorException extends ForbiddenException {
  constructor() {
    super('Only the author can change this.');
  }
}

export enum VotingForbiddenReason {
  /** A public board's votes, like its posts, need a verified current employer. */
  NOT_VERIFIED = 'NOT_VERIFIED',
  OWN_POST = 'OWN_POST',
}

const VOTING_FORBIDDEN: Record<VotingForbiddenReason, string> = {
  [VotingForbiddenReason.NOT_VERIFIED]: 'Verify a current employer to vote on public boards.',
  [VotingForbiddenReason.OWN_POST]: 'You cannot vote on your own post.',
};

export class VotingForbiddenException extends AppException {
  constructor(reason: VotingForbiddenReason) {
    super(ErrorCode.FORBIDDEN, VOTING_FORBIDDEN[reason], { reason });
  }
}

export class InvalidContentException extends BadUserInputException {
  constructor(message: string, field: string, reason?: string) {
    super(message, reason === undefined ? { fields: [field] } : { fields: [field], reason });
  }
}

/** Why a poll or a vote on one is refused (`extensions.reason` of BAD_USER_INPUT and CONFLICT). */
export enum PollRefusal {
  QUESTION_LENGTH = 'POLL_QUESTION_LENGTH',
  OPTION_COUNT = 'POLL_OPTION_COUNT',
  OPTION_LENGTH = 'POLL_OPTION_LENGTH',
  OPTION_DUPLICATE = 'POLL_OPTION_DUPLICATE',
  CLOSES_AT_PAST = 'POLL_CLOSES_AT_PAST',
  CLOSES_AT_TOO_FAR = 'POLL_CLOSES_AT_TOO_FAR',
  CHOICE_COUNT = 'POLL_CHOICE_COUNT',
  CHOICE_DUPLICATE = 'POLL_CHOICE_DUPLICATE',
  CHOICE_UNKNOWN = 'POLL_CHOICE_UNKNOWN',
  CLOSED = 'POLL_CLOSED',
  ALREADY_VOTED = 'POLL_ALREADY_VOTED',
}

/** BAD_USER_INPUT: a poll (createThread's `poll`) or a choice (votePoll's `optionIds`) that is not valid. */
export class InvalidPollException extends BadUserInputException {
  constructor(message: string, field: string, reason: PollRefusal) {
    super(message, { fields: [field], reason });
  }
}

/** CONFLICT: the poll has closed, or the voter has already voted (a vote is final). */
export class PollVoteConflictException extends AppException {
  constructor(reason: PollRefusal.CLOSED | PollRefusal.ALREADY_VOTED) {
    super(
      ErrorCode.CONFLICT,
      reason === PollRefusal.CLOSED
        ? 'This poll has closed.'
        : 'You have already voted in this poll; a vote cannot be changed.',
      { reason },
    );
  }
}

/** Missing, or in a thread the viewer cannot see: the same answer, so existence does not leak. */
export class PollNotFoundException extends NotFoundException {
  constructor() {
    super('No such poll.');
  }
}
