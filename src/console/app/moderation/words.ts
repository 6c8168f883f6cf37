import type {
  AuthorHistory,
  QueueItem,
  ReviewDecision,
  ReviewEvent,
  ReviewKind,
  ReviewReason,
  ReviewStatus,
  SanctionKind,
} from './api';
import { dayAndTime } from './api';

/** Plain words for what the API sends as enum values and event names (docs/console.md). */

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** "PERSONAL_INFORMATION" → "Personal information". */
export const enumWords = (value: string): string =>
  value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');

export const STATUS_WORDS: Record<ReviewStatus, string> = {
  PENDING: 'Pending',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  IGNORED: 'Ignored',
};

export const DECISION_WORDS: Record<ReviewDecision, string> = {
  APPROVE: 'Approved',
  REJECT: 'Rejected',
  IGNORE: 'Ignored',
};

const CONTENT_STATUS_WORDS: Record<string, string> = {
  PUBLISHED: 'Published',
  HELD: 'Held for review',
  REJECTED: 'Rejected (never published)',
  REMOVED: 'Removed',
  DELETED: 'Deleted by its author',
};

export const contentStatusWords = (status: string): string =>
  CONTENT_STATUS_WORDS[status] ?? enumWords(status);

export function sanctionWords(kind: SanctionKind, days: number | null): string {
  switch (kind) {
    case 'WARNING':
      return 'a formal warning';
    case 'SUSPENSION':
      return `a ${days ?? '?'}-day posting suspension`;
    case 'BAN':
      return 'a ban';
  }
}

/** One reason an item is in the queue: "Held by rule “Strike talk”", "Reported by 3 members: harassment". */
export function reasonWords(reason: ReviewReason): string {
  switch (reason.kind) {
    case 'RULE_HOLD':
    case 'RULE_FLAG': {
      const verb = reason.kind === 'RULE_HOLD' ? 'Held' : 'Flagged';
      return reason.ruleName === null
        ? `${verb} by a rule: ${reason.summary}`
        : `${verb} by rule “${reason.ruleName}”`;
    }
    case 'USER_REPORTS':
      return `Reported by ${plural(reason.count, 'member')}${
        reason.reportReason === null ? '' : `: ${enumWords(reason.reportReason).toLowerCase()}`
      }`;
    case 'APPEAL':
      return `Appeal by the author: “${reason.summary}”`;
  }
}

/** What an event of an item's history did, in words. */
export function eventWords(event: ReviewEvent): string {
  const decided = /^decided: (APPROVE|REJECT|IGNORE)$/.exec(event.action);
  if (decided !== null) return DECISION_WORDS[decided[1] as ReviewDecision];
  switch (event.action) {
    case 'created':
      return 'Entered the queue';
    case 'reported':
      return 'Reported';
    case 'reopened':
      return 'Back in the queue after new reports';
    case 'hidden':
    case 'hidden pending review':
      return 'Hidden until reviewed';
    case 'appealed':
      return 'Appealed';
    case 'claimed':
      return 'Claimed';
    case 'updated':
      return 'Updated';
    default:
      return enumWords(event.action);
  }
}

/** Who did it: a staff handle, else who such an event comes from. */
export function eventActor(event: ReviewEvent, kind: ReviewKind): string {
  if (event.actorHandle !== null) return `by ${event.actorHandle}`;
  if (event.action === 'reported') return 'by a member';
  if (event.action === 'reopened') return '';
  if (event.action === 'appealed') return 'by the author';
  if (event.action.startsWith('hidden')) return 'by members’ reports';
  if (event.action === 'created' || event.action === 'updated')
    return kind === 'RULE_HOLD' || kind === 'RULE_FLAG'
      ? 'by a compliance rule'
      : kind === 'APPEAL'
        ? 'by the author’s appeal'
        : 'by members’ reports';
  return '';
}

/** The newest decision event of an item. */
export const decisionEvent = (item: QueueItem): ReviewEvent | undefined =>
  [...item.history].reverse().find((event) => event.action.startsWith('decided: '));

/** "Approved by Staff Ab12 · 3 Dec, 14:05" for a decided item. */
export function decidedWords(item: QueueItem): string {
  const event = decisionEvent(item);
  const verb = item.decision === null ? STATUS_WORDS[item.status] : DECISION_WORDS[item.decision];
  if (event === undefined) return verb;
  return `${verb}${event.actorHandle === null ? '' : ` by ${event.actorHandle}`} · ${dayAndTime(event.at)}`;
}

/** "This author: 1 warning, 2 suspensions in the last 365 days." */
export function historyWords(history: AuthorHistory | null): string {
  if (history === null) return 'The author’s account no longer exists: no history to show.';
  const parts = [
    history.warnings > 0 ? plural(history.warnings, 'warning') : '',
    history.suspensions > 0 ? plural(history.suspensions, 'suspension') : '',
    history.bans > 0 ? plural(history.bans, 'ban') : '',
  ].filter((part) => part !== '');
  const window = `in the last ${history.windowDays} days`;
  return parts.length === 0
    ? `This author: no earlier upheld sanctions ${window}.`
    : `This author: ${parts.join(', ')} upheld ${window}.`;
}

export { plural };
