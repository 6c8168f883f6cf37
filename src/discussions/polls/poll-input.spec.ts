import { InvalidPollException } from '../discussions.exception';
import { newPoll, POLL_CLOSES_WITHIN_MS, validChoice } from './poll-input';

const now = new Date('2026-06-01T12:00:00Z');
const reasonOf = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error: unknown) {
    if (error instanceof InvalidPollException) return error.details.reason;
    throw error;
  }
  return null;
};

describe('newPoll', () => {
  it('normalises and trims the text, and defaults to single choice without a closing time', () => {
    expect(newPoll({ question: ' Cafe\u0301? ', options: [' A\u0000 ', 'B'] }, now)).toEqual({
      question: 'Café?',
      options: ['A', 'B'],
      multipleChoice: false,
      closesAt: null,
    });
  });

  it('refuses duplicates ignoring case, after trimming and normalisation', () => {
    expect(reasonOf(() => newPoll({ question: 'Q', options: ['Café', ' CAFE\u0301 '] }, now))).toBe(
      'POLL_OPTION_DUPLICATE',
    );
  });

  it('counts characters as code points', () => {
    const emoji = '😀'.repeat(100);
    expect(newPoll({ question: 'Q', options: [emoji, 'B'] }, now).options[0]).toBe(emoji);
    expect(reasonOf(() => newPoll({ question: 'Q', options: [`${emoji}x`, 'B'] }, now))).toBe(
      'POLL_OPTION_LENGTH',
    );
  });

  it('takes a closing time after now and within the limit', () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect(newPoll({ question: 'Q', options: ['A', 'B'], closesAt: at(1) }, now).closesAt).toEqual(
      at(1),
    );
    expect(
      reasonOf(() => newPoll({ question: 'Q', options: ['A', 'B'], closesAt: at(0) }, now)),
    ).toBe('POLL_CLOSES_AT_PAST');
    expect(
      reasonOf(() =>
        newPoll(
          { question: 'Q', options: ['A', 'B'], closesAt: at(POLL_CLOSES_WITHIN_MS + 1) },
          now,
        ),
      ),
    ).toBe('POLL_CLOSES_AT_TOO_FAR');
  });
});

describe('validChoice', () => {
  const options = ['o1', 'o2', 'o3'];
  it('returns the choice in the poll order', () => {
    expect(validChoice(['o3', 'o1'], options, true)).toEqual(['o1', 'o3']);
    expect(validChoice(['o2'], options, false)).toEqual(['o2']);
  });

  it('refuses empty, repeated, foreign and (single choice) several options', () => {
    expect(reasonOf(() => validChoice([], options, true))).toBe('POLL_CHOICE_COUNT');
    expect(reasonOf(() => validChoice(['o1', 'o2'], options, false))).toBe('POLL_CHOICE_COUNT');
    expect(reasonOf(() => validChoice(['o1', 'o1'], options, true))).toBe('POLL_CHOICE_DUPLICATE');
    expect(reasonOf(() => validChoice(['o4'], options, true))).toBe('POLL_CHOICE_UNKNOWN');
  });
});
