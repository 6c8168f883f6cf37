import { BadUserInputException, ForbiddenException, NotFoundException } from '../common/errors';

/** A board that does not exist or that the viewer may not read: the same answer either way. */
export class BoardNotFoundException extends NotFoundException {
  constructor() {
    super('No such board.');
  }
}

export class BoardPostingForbiddenException extends ForbiddenException {
  constructor() {
    super('Verify a current employer to post on public boards.');
  }
}

export class InvalidBoardException extends BadUserInputException {
  constructor(message: string, field: string) {
    super(message, { fields: [field] });
  }
}
