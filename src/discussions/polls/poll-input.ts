import { InvalidPollException, PollRefusal } from '../discussions.exception';
import type { PollInput } from './poll.model';

export const POLL_QUESTION_MAX = 300;
export const POLL_OPTION_MAX = 100;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;
/** A poll closes at most this long after it is created. */
export const POLL_CLOSES_WITHIN_MS = 366 * 86_400_000;

/** A poll as it will be stored (before compliance rules may mask words in it). */
export interface NewPoll {
  readonly question: string;
  readonly options: readonly string[];
  readonly multipleChoice: boolean;
  readonly closesAt: Date | null;
}

/** Text as posts store it: NFC, without NUL, trimmed; 1..max code points. */
function pollText(
  value: string,
  max: number,
  field: string,
  reason: PollRefusal,
  what: string,
): string {
  const text = value.normalize('NFC').replaceAll('\u0000', '').trim();
  const length = [...text].length;
  if (length === 0 || length > max) {
    throw new InvalidPollException(`${what} must be 1 to ${max} characters.`, field, reason);
  }
  return text;
}

/**
 * Checks a poll given with a new thread and returns it as stored: a question of 1–300
 * characters, 2–10 options of 1–100 characters each, no two equal ignoring case (after the same
 * trimming and normalisation as posts), and a closing time, if any, in the future and at most a
 * year ahead. BAD_USER_INPUT (InvalidPollException) names the field and the reason.
 */
export function newPoll(input: PollInput, now: Date): NewPoll {
  const question = pollText(
    input.question,
    POLL_QUESTION_MAX,
    'poll.question',
    PollRefusal.QUESTION_LENGTH,
    'A poll question',
  );
  if (input.options.length < POLL_OPTIONS_MIN || input.options.length > POLL_OPTIONS_MAX) {
    throw new InvalidPollException(
      `A poll has ${POLL_OPTIONS_MIN} to ${POLL_OPTIONS_MAX} options.`,
      'poll.options',
      PollRefusal.OPTION_COUNT,
    );
  }
  const options = input.options.map((option) =>
    pollText(option, POLL_OPTION_MAX, 'poll.options', PollRefusal.OPTION_LENGTH, 'Each option'),
  );
  const folded = new Set(options.map((option) => option.toLocaleLowerCase('und')));
  if (folded.size !== options.length) {
    throw new InvalidPollException(
      'Two options of a poll are the same.',
      'poll.options',
      PollRefusal.OPTION_DUPLICATE,
    );
  }
  const closesAt = input.closesAt ?? null;
  if (closesAt !== null) {
    if (Number.isNaN(closesAt.getTime()) || closesAt.getTime() <= now.getTime()) {
      throw new InvalidPollException(
        'A poll closes in the future.',
        'poll.closesAt',
        PollRefusal.CLOSES_AT_PAST,
      );
    }
    if (closesAt.getTime() - now.getTime() > POLL_CLOSES_WITHIN_MS) {
      throw new InvalidPollException(
        'A poll closes within a year.',
        'poll.closesAt',
        PollRefusal.CLOSES_AT_TOO_FAR,
      );
    }
  }
  return { question, options, multipleChoice: input.multipleChoice ?? false, closesAt };
}

/**
 * Checks a voter's choice against the poll's options (in their order): at least one, no option
 * twice, every one an option of this poll, exactly one unless the poll is multiple choice.
 */
export function validChoice(
  optionIds: readonly string[],
  pollOptionIds: readonly string[],
  multipleChoice: boolean,
): string[] {
  if (optionIds.length === 0 || (!multipleChoice && optionIds.length !== 1)) {
    throw new InvalidPollException(
      multipleChoice ? 'Choose at least one option.' : 'Choose exactly one option.',
      'optionIds',
      PollRefusal.CHOICE_COUNT,
    );
  }
  if (new Set(optionIds).size !== optionIds.length) {
    throw new InvalidPollException(
      'Each option can be chosen once.',
      'optionIds',
      PollRefusal.CHOICE_DUPLICATE,
    );
  }
  const known = new Set(pollOptionIds);
  if (optionIds.some((id) => !known.has(id))) {
    throw new InvalidPollException(
      'Choose among the options of this poll.',
      'optionIds',
      PollRefusal.CHOICE_UNKNOWN,
    );
  }
  return pollOptionIds.filter((id) => optionIds.includes(id));
}
