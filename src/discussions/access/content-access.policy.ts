import { ContentStatus } from '../../posts/content-status';

/**
 * What the viewer wants to do with a thread or comment. READ is reaching it directly
 * (`thread(id)`, `Comment.thread`); LIST is finding it in a list (a board's feed, a thread's
 * comments, a subscription's events); the rest are writes.
 */
export enum ContentAction {
  READ = 'READ',
  LIST = 'LIST',
  COMMENT = 'COMMENT',
  VOTE = 'VOTE',
  REPORT = 'REPORT',
  EDIT = 'EDIT',
  DELETE = 'DELETE',
}

/** Why an action is refused; each path turns it into its own error (see ContentAccess). */
export enum Refusal {
  /** As if the post did not exist: missing, on a board the viewer cannot read, not public, withheld. */
  NOT_FOUND = 'NOT_FOUND',
  /** The viewer is suspended or banned from posting. */
  RESTRICTED = 'RESTRICTED',
  /** The viewer may read the board but not post there (a public board needs a verified employer). */
  MAY_NOT_POST = 'MAY_NOT_POST',
  /** Only the author may do this. */
  NOT_THE_AUTHOR = 'NOT_THE_AUTHOR',
  /** Nobody does this to their own post (vote, report). */
  OWN_POST = 'OWN_POST',
}

/** Everything the decision needs about one post and one viewer; gathered by ContentAccess. */
export interface AccessFacts {
  readonly kind: 'THREAD' | 'COMMENT';
  /** The post's status. */
  readonly status: ContentStatus;
  /** Its thread's status (the post's own for a thread). */
  readonly threadStatus: ContentStatus;
  /** The viewer may read the board (BoardAccessPolicy). */
  readonly boardReadable: boolean;
  /** The viewer may post on the board (BoardAccessPolicy). */
  readonly boardPostable: boolean;
  /** The viewer wrote the post. */
  readonly author: boolean;
  /** The viewer wrote its thread (the same as `author` for a thread). */
  readonly threadAuthor: boolean;
  /** The viewer is a moderator or a compliance officer. */
  readonly staff: boolean;
  /** The post is withheld in one of the viewer's jurisdictions. */
  readonly withheld: boolean;
  /** Its thread is withheld in one of the viewer's jurisdictions (`withheld` for a thread). */
  readonly threadWithheld: boolean;
  /** The viewer is suspended or banned from posting. */
  readonly restricted: boolean;
}

/** Not public: seen only by the author and staff. */
const UNPUBLIC: ReadonlySet<ContentStatus> = new Set([
  ContentStatus.HELD,
  ContentStatus.REJECTED,
  ContentStatus.REMOVED,
]);

/** Which rules each write needs, checked in this order; the first that fails is the refusal. */
const WRITES: Record<
  Exclude<ContentAction, ContentAction.READ | ContentAction.LIST>,
  {
    restricted: boolean;
    reach: 'live' | 'own' | 'visible';
    post: boolean;
    author: 'must' | 'not' | null;
  }
> = {
  // A comment on a live thread, by a member who may post on its board.
  [ContentAction.COMMENT]: { restricted: true, reach: 'live', post: true, author: null },
  // A vote on a live post the voter can see, by one who may post on its board, not on their own.
  [ContentAction.VOTE]: { restricted: true, reach: 'live', post: true, author: 'not' },
  // A report on a public post the reporter can see, not their own.
  [ContentAction.REPORT]: { restricted: false, reach: 'visible', post: false, author: 'not' },
  // An edit of one's own post, while allowed to post.
  [ContentAction.EDIT]: { restricted: true, reach: 'own', post: false, author: 'must' },
  // Deleting one's own post (allowed while suspended: leaving is always possible).
  [ContentAction.DELETE]: { restricted: false, reach: 'own', post: false, author: 'must' },
};

/**
 * The one place that decides who may see or act on a thread or comment: status, board access,
 * withholding for the viewer's jurisdictions, authorship, staff role and posting sanctions.
 * Every read and write path asks it, through ContentAccess (one post) or, for lists served by
 * one query, through filters that a test holds to the same answers (see
 * test/e2e/discussions/access-table.e2e-spec.ts).
 *
 * The rules:
 * - Nothing on a board the viewer cannot read exists for them.
 * - A thread is seen by its author and by staff whatever its status; by others when it is
 *   public (published, or deleted and shown as an empty tombstone) and not withheld for them.
 *   A comment is seen where its thread is, on the same terms.
 * - Lists hold only published posts (and comments' tombstones, where their thread is seen),
 *   and leave out what is withheld for the viewer unless the viewer wrote it; held or removed
 *   posts are reached directly, by their author and staff, never listed.
 * - Editing or deleting someone else's post is FORBIDDEN where the viewer can see it, and
 *   NOT_FOUND where they cannot: existence does not leak.
 * - Writes need a live (published) post in reach: commenting and voting need its thread live
 *   and not withheld for the viewer (unless they wrote the thread), voting on a comment needs
 *   the comment published and not withheld for them either; editing and deleting one's own
 *   comment need it published on a live thread, one's own thread not deleted.
 */
export class ContentAccessPolicy {
  /** Null when allowed; otherwise why not. Pure: the same facts always give the same answer. */
  static decide(action: ContentAction, facts: AccessFacts): Refusal | null {
    if (action === ContentAction.READ) return this.visible(facts) ? null : Refusal.NOT_FOUND;
    if (action === ContentAction.LIST) return this.listed(facts) ? null : Refusal.NOT_FOUND;
    return this.write(action, facts);
  }

  /** Whether the viewer sees the thread: its board, and its status and withholding unless theirs or staff. */
  static threadVisible(facts: AccessFacts): boolean {
    if (!facts.boardReadable) return false;
    if (facts.threadAuthor || facts.staff) return true;
    return this.threadSeenByOthers(facts.threadStatus, facts.threadWithheld);
  }

  /** Whether readers of its board who neither wrote it nor are staff see a thread: public, and not withheld for them. */
  static threadSeenByOthers(threadStatus: ContentStatus, threadWithheld: boolean): boolean {
    return !UNPUBLIC.has(threadStatus) && !threadWithheld;
  }

  private static visible(facts: AccessFacts): boolean {
    if (!this.threadVisible(facts)) return false;
    if (facts.kind === 'THREAD' || facts.author || facts.staff) return true;
    return !UNPUBLIC.has(facts.status) && !facts.withheld;
  }

  private static listed(facts: AccessFacts): boolean {
    if (facts.kind === 'THREAD') {
      return (
        facts.boardReadable &&
        facts.status === ContentStatus.PUBLISHED &&
        (facts.author || !facts.withheld)
      );
    }
    // A thread's comments are listed where the thread is seen.
    return (
      this.threadVisible(facts) &&
      (facts.status === ContentStatus.PUBLISHED || facts.status === ContentStatus.DELETED) &&
      (facts.author || !facts.withheld)
    );
  }

  /** The thread is published, on a readable board, and not withheld for the viewer unless theirs. */
  private static threadLive(facts: AccessFacts): boolean {
    return (
      facts.threadStatus === ContentStatus.PUBLISHED &&
      facts.boardReadable &&
      (facts.threadAuthor || !facts.threadWithheld)
    );
  }

  private static write(
    action: Exclude<ContentAction, ContentAction.READ | ContentAction.LIST>,
    facts: AccessFacts,
  ): Refusal | null {
    const rule = WRITES[action];
    if (rule.restricted && facts.restricted) return Refusal.RESTRICTED;
    if (!this.inReach(rule.reach, action, facts)) return Refusal.NOT_FOUND;
    if (rule.post && !facts.boardPostable) return Refusal.MAY_NOT_POST;
    // Someone else's post: FORBIDDEN only when they can see it; otherwise it does not exist.
    if (rule.author === 'must' && !facts.author)
      return this.visible(facts) ? Refusal.NOT_THE_AUTHOR : Refusal.NOT_FOUND;
    if (rule.author === 'not' && facts.author) return Refusal.OWN_POST;
    return null;
  }

  private static inReach(
    reach: 'live' | 'own' | 'visible',
    action: ContentAction,
    facts: AccessFacts,
  ): boolean {
    const comment = facts.kind === 'COMMENT';
    switch (reach) {
      case 'live':
        // Commenting is on the thread itself; a vote on a comment needs the comment live too.
        if (action === ContentAction.COMMENT || !comment) return this.threadLive(facts);
        return (
          this.threadLive(facts) &&
          facts.status === ContentStatus.PUBLISHED &&
          (facts.author || !facts.withheld)
        );
      case 'own':
        // One's own thread, unless deleted; one's own comment while published on a live thread.
        if (!comment) return facts.boardReadable && facts.status !== ContentStatus.DELETED;
        return this.threadLive(facts) && facts.status === ContentStatus.PUBLISHED;
      case 'visible':
        // Reports: a published post whose thread the reporter sees, and a comment not withheld.
        return (
          facts.status === ContentStatus.PUBLISHED &&
          this.threadVisible(facts) &&
          (!comment || !facts.withheld)
        );
    }
  }
}
