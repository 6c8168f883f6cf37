import { ContentStatus } from '../../posts/content-status';
import {
  type AccessFacts,
  ContentAccessPolicy,
  ContentAction,
  Refusal,
} from './content-access.policy';

const { PUBLISHED, HELD, REJECTED, REMOVED, DELETED } = ContentStatus;
const A = ContentAction;
const ok = null;
const NF = Refusal.NOT_FOUND;

/** A member of the board who may post, did not write the post, is not staff, nothing withheld. */
const base: AccessFacts = {
  kind: 'THREAD',
  status: PUBLISHED,
  threadStatus: PUBLISHED,
  boardReadable: true,
  boardPostable: true,
  author: false,
  threadAuthor: false,
  staff: false,
  withheld: false,
  threadWithheld: false,
  restricted: false,
};
const thread = (status: ContentStatus, viewer: Partial<AccessFacts> = {}): AccessFacts => ({
  ...base,
  status,
  threadStatus: status,
  ...viewer,
  ...(viewer.author === undefined ? {} : { threadAuthor: viewer.author }),
  ...(viewer.withheld === undefined ? {} : { threadWithheld: viewer.withheld }),
});
const comment = (
  status: ContentStatus,
  viewer: Partial<AccessFacts> = {},
  threadStatus = PUBLISHED,
): AccessFacts => ({ ...base, kind: 'COMMENT', status, threadStatus, ...viewer });

const decide = (facts: AccessFacts) =>
  Object.fromEntries(
    Object.values(ContentAction).map((action) => [
      action,
      ContentAccessPolicy.decide(action, facts),
    ]),
  );

describe('ContentAccessPolicy', () => {
  // Each row: the facts, then the answer for READ, LIST, COMMENT, VOTE, REPORT, EDIT, DELETE.
  const rows: Array<[string, AccessFacts, Array<Refusal | null>]> = [
    [
      'published thread, another member',
      thread(PUBLISHED),
      [ok, ok, ok, ok, ok, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
    [
      'published thread, its author',
      thread(PUBLISHED, { author: true }),
      [ok, ok, ok, Refusal.OWN_POST, Refusal.OWN_POST, ok, ok],
    ],
    [
      'published thread, board not readable',
      thread(PUBLISHED, { boardReadable: false, boardPostable: false }),
      [NF, NF, NF, NF, NF, NF, NF],
    ],
    [
      'published thread, reader who may not post',
      thread(PUBLISHED, { boardPostable: false }),
      [
        ok,
        ok,
        Refusal.MAY_NOT_POST,
        Refusal.MAY_NOT_POST,
        ok,
        Refusal.NOT_THE_AUTHOR,
        Refusal.NOT_THE_AUTHOR,
      ],
    ],
    [
      'published thread, suspended author',
      thread(PUBLISHED, { author: true, restricted: true }),
      [ok, ok, Refusal.RESTRICTED, Refusal.RESTRICTED, Refusal.OWN_POST, Refusal.RESTRICTED, ok],
    ],
    [
      'published thread, staff',
      thread(PUBLISHED, { staff: true }),
      [ok, ok, ok, ok, ok, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
    [
      'withheld thread, another member',
      thread(PUBLISHED, { withheld: true }),
      [NF, NF, NF, NF, NF, NF, NF],
    ],
    [
      'withheld thread, its author',
      thread(PUBLISHED, { withheld: true, author: true }),
      [ok, ok, ok, Refusal.OWN_POST, Refusal.OWN_POST, ok, ok],
    ],
    [
      'withheld thread, staff',
      thread(PUBLISHED, { withheld: true, staff: true }),
      [ok, NF, NF, NF, ok, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
    ['held thread, another member', thread(HELD), [NF, NF, NF, NF, NF, NF, NF]],
    ['held thread, its author', thread(HELD, { author: true }), [ok, NF, NF, NF, NF, ok, ok]],
    [
      'held thread, staff',
      thread(HELD, { staff: true }),
      [ok, NF, NF, NF, NF, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
    ['rejected thread, another member', thread(REJECTED), [NF, NF, NF, NF, NF, NF, NF]],
    ['removed thread, its author', thread(REMOVED, { author: true }), [ok, NF, NF, NF, NF, ok, ok]],
    ['deleted thread, another member', thread(DELETED), [ok, NF, NF, NF, NF, NF, NF]],
    ['deleted thread, its author', thread(DELETED, { author: true }), [ok, NF, NF, NF, NF, NF, NF]],
    [
      'published comment, another member',
      comment(PUBLISHED),
      [ok, ok, ok, ok, ok, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
    [
      'published comment, its author',
      comment(PUBLISHED, { author: true }),
      [ok, ok, ok, Refusal.OWN_POST, Refusal.OWN_POST, ok, ok],
    ],
    [
      'withheld comment, another member',
      comment(PUBLISHED, { withheld: true }),
      [NF, NF, ok, NF, NF, NF, NF],
    ],
    [
      'withheld comment, its author',
      comment(PUBLISHED, { withheld: true, author: true }),
      [ok, ok, ok, Refusal.OWN_POST, NF, ok, ok],
    ],
    ['held comment, its author', comment(HELD, { author: true }), [ok, NF, ok, NF, NF, NF, NF]],
    ['removed comment, another member', comment(REMOVED), [NF, NF, ok, NF, NF, NF, NF]],
    ['deleted comment, another member', comment(DELETED), [ok, ok, ok, NF, NF, NF, NF]],
    [
      'comment on a removed thread, its author',
      comment(PUBLISHED, { author: true }, REMOVED),
      [NF, NF, NF, NF, NF, NF, NF],
    ],
    [
      'comment on a removed thread, staff',
      comment(PUBLISHED, { staff: true }, REMOVED),
      [ok, ok, NF, NF, ok, NF, NF],
    ],
    [
      'comment on a withheld thread, its author',
      comment(PUBLISHED, { author: true, threadWithheld: true }),
      [NF, NF, NF, NF, NF, NF, NF],
    ],
    [
      'comment on a withheld thread, the thread’s author',
      comment(PUBLISHED, { threadAuthor: true, threadWithheld: true }),
      [ok, ok, ok, ok, ok, Refusal.NOT_THE_AUTHOR, Refusal.NOT_THE_AUTHOR],
    ],
  ];

  it.each(rows)('%s', (_name, facts, expected) => {
    const actions = Object.values(ContentAction);
    expect(decide(facts)).toEqual(Object.fromEntries(actions.map((a, i) => [a, expected[i]])));
  });

  it('asks for the right to post before anything else on the writes that need it', () => {
    const gone = thread(REMOVED, { restricted: true, boardReadable: false });
    expect([A.COMMENT, A.VOTE, A.EDIT].map((a) => ContentAccessPolicy.decide(a, gone))).toEqual([
      Refusal.RESTRICTED,
      Refusal.RESTRICTED,
      Refusal.RESTRICTED,
    ]);
    expect(ContentAccessPolicy.decide(A.DELETE, gone)).toBe(NF);
  });
});
