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
