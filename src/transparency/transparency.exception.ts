import { BadUserInputException } from '../common/errors';

/** Why a report window is refused. */
export enum TransparencyExceptionReason {
  INVALID_DATE = 'INVALID_DATE',
  EMPTY_WINDOW = 'EMPTY_WINDOW',
  WINDOW_TOO_LONG = 'WINDOW_TOO_LONG',
}

/** BAD_USER_INPUT: the window of a transparency report, with the fields at fault. */
export class TransparencyException extends BadUserInputException {
  constructor(
    readonly reason: TransparencyExceptionReason,
    message: string,
    fields: readonly string[],
  ) {
    super(message, { fields: [...fields] });
  }
}
