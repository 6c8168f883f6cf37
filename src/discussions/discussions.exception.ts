import { BadUserInputException, ForbiddenException, NotFoundException } from '../common/errors';

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

export class InvalidContentException extends BadUserInputException {
  constructor(message: string, field: string, reason?: string) {
    super(message, reason === undefined ? { fields: [field] } : { fields: [field], reason });
  }
}
