import { gql } from '@urql/preact';

/** The GraphQL operations and answer shapes of the moderation pages (schema.gql). */

export type ReviewKind = 'APPEAL' | 'RULE_FLAG' | 'RULE_HOLD' | 'USER_REPORTS';
export type ReviewStatus = 'APPROVED' | 'IGNORED' | 'PENDING' | 'REJECTED';
export type ReviewDecision = 'APPROVE' | 'IGNORE' | 'REJECT';
export type BoardKind = 'COMPANY' | 'PUBLIC';
export type ReviewQueueOrder = 'OLDEST' | 'PRIORITY';
export type SanctionKind = 'BAN' | 'SUSPENSION' | 'WARNING';

export const REVIEW_KINDS: ReadonlyArray<{ value: ReviewKind; label: string }> = [
  { value: 'RULE_HOLD', label: 'Held by a rule' },
  { value: 'RULE_FLAG', label: 'Flagged by a rule' },
  { value: 'USER_REPORTS', label: 'Reported by members' },
  { value: 'APPEAL', label: 'Appeal' },
];

export const REVIEW_STATUSES: ReadonlyArray<{ value: ReviewStatus; label: string }> = [
  { value: 'PENDING', label: 'Pending' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'IGNORED', label: 'Ignored' },
];

export const kindLabel = (kind: ReviewKind): string =>
  REVIEW_KINDS.find((entry) => entry.value === kind)?.label ?? kind;

export interface BoardRef {
  name: string;
  kind: BoardKind;
  jurisdiction: string;
}

export interface AuthorRef {
  handle: string;
  employerLabel: string;
}

export interface ThreadContent {
  __typename: 'Thread';
  id: string;
  title: string;
  body: string;
  status: string;
  createdAt: string;
  author: AuthorRef;
  board: BoardRef;
}

export interface CommentContent {
  __typename: 'Comment';
  id: string;
  body: string;
  status: string;
  createdAt: string;
  author: AuthorRef;
  parentId: string | null;
  thread: { id: string; title: string; body: string; author: AuthorRef; board: BoardRef };
}

export type Content = ThreadContent | CommentContent;

export interface ReviewReason {
  kind: ReviewKind;
  summary: string;
  ruleName: string | null;
  reportReason: string | null;
  count: number;
}

export interface ReviewEvent {
  at: string;
  action: string;
  actorHandle: string | null;
  note: string | null;
}

export interface QueueItem {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  priority: number;
  createdAt: string;
  enteredQueueAt: string;
  jurisdiction: string;
  boardKind: BoardKind;
  claimedByViewer: boolean;
  claimedByHandle: string | null;
  claimExpiresAt: string | null;
  viewerMayDecide: boolean;
  version: number;
  decision: ReviewDecision | null;
  reasons: ReviewReason[];
  history: ReviewEvent[];
  content: Content;
}

export interface DecisionRecord {
  decision: ReviewDecision;
  reasonCode: string | null;
  note: string | null;
  sanction: SanctionKind | null;
  sanctionDays: number | null;
  decidedAt: string;
  deciderHandle: string;
}

export interface ReportDetail {
  reason: string;
  details: string | null;
  at: string;
}

export interface AuthorHistory {
  windowDays: number;
  warnings: number;
  suspensions: number;
  bans: number;
}

export interface ReviewItem extends QueueItem {
  reasonCode: string | null;
  reports: ReportDetail[];
  appealOf: DecisionRecord | null;
  authorHistory: AuthorHistory | null;
}

const CONTENT = `
  content {
    __typename
    ... on Thread {
      id
      title
      body
      status
      createdAt
      author { handle employerLabel }
      board { id name kind jurisdiction }
    }
    ... on Comment {
      id
      body
      status
      createdAt
      author { handle employerLabel }
      parentId
      thread {
        id
        title
        body
        author { handle employerLabel }
        board { id name kind jurisdiction }
      }
    }
  }`;

const QUEUE_FIELDS = `
  id
  kind
  status
  priority
  createdAt
  enteredQueueAt
  jurisdiction
  boardKind
  claimedByViewer
  claimedByHandle
  claimExpiresAt
  viewerMayDecide
  version
  decision
  reasons { kind summary ruleName reportReason count }
  history { at action actorHandle note }
  ${CONTENT}`;

const ITEM_FIELDS = `
  ${QUEUE_FIELDS}
  reasonCode
  reports { reason details at }
  appealOf { decision reasonCode note sanction sanctionDays decidedAt deciderHandle }
  authorHistory { windowDays warnings suspensions bans }`;

export interface QueueFilter {
  status?: ReviewStatus;
  kind?: ReviewKind;
  companyId?: string;
  jurisdiction?: string;
  boardKind?: BoardKind;
  search?: string;
}

export interface QueueData {
  reviewQueue: {
    totalCount: number;
    jurisdictions: string[];
    edges: Array<{ cursor: string; node: QueueItem }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}

export const REVIEW_QUEUE = gql`
  query ConsoleReviewQueue(
    $filter: ReviewQueueFilter
    $first: Int!
    $after: String
    $order: ReviewQueueOrder
  ) {
    reviewQueue(filter: $filter, first: $first, after: $after, order: $order) {
      edges {
        cursor
        node {
          ${QUEUE_FIELDS}
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
      jurisdictions
    }
  }
`;

export const REVIEW_QUEUE_CHANGED = gql`
  subscription ConsoleReviewQueueChanged($filter: ReviewQueueFilter) {
    reviewQueueChanged(filter: $filter) {
      id
      kind
      status
      version
    }
  }
`;

export interface QueueChangedData {
  reviewQueueChanged: { id: string; kind: ReviewKind; status: ReviewStatus; version: number };
}

export interface FilterOptionsData {
  companies: Array<{ id: string; name: string; jurisdiction: string }>;
  jurisdictions: Array<{ code: string; name: string }>;
}

export const FILTER_OPTIONS = gql`
  query ConsoleQueueFilterOptions {
    companies {
      id
      name
      jurisdiction
    }
    jurisdictions {
      code
      name
    }
  }
`;

export const REVIEW_ITEM = gql`
  query ConsoleReviewItem($id: ID!) {
    reviewItem(id: $id) {
      ${ITEM_FIELDS}
    }
    reasonCodes {
      code
      category
      label
    }
    viewer {
      staffHandle
    }
  }
`;

export interface ReasonCode {
  code: string;
  category: string;
  label: string;
}

export interface ReviewItemData {
  reviewItem: ReviewItem | null;
  reasonCodes: ReasonCode[];
  viewer: { staffHandle: string | null } | null;
}

export const CLAIM_REVIEW_ITEM = gql`
  mutation ConsoleClaimReviewItem($id: ID!, $version: Int!) {
    claimReviewItem(id: $id, version: $version) {
      ${ITEM_FIELDS}
    }
  }
`;

export const DECIDE_REVIEW_ITEM = gql`
  mutation ConsoleDecideReviewItem($input: DecideReviewItemInput!) {
    decideReviewItem(input: $input) {
      ${ITEM_FIELDS}
    }
  }
`;

export const DECIDE_REVIEW_ITEMS = gql`
  mutation ConsoleDecideReviewItems($inputs: [DecideReviewItemInput!]!) {
    decideReviewItems(inputs: $inputs) {
      id
      status
      version
    }
  }
`;

export interface DecideManyData {
  decideReviewItems: Array<{ id: string; status: ReviewStatus; version: number }>;
}

/** A comment's parent (replies are one level deep), through node(id:). */
export const PARENT_COMMENT = gql`
  query ConsoleParentComment($id: ID!) {
    node(id: $id) {
      ... on Comment {
        id
        body
        status
        author {
          handle
          employerLabel
        }
      }
    }
  }
`;

export interface ParentCommentData {
  node: { id: string; body: string; status: string; author: AuthorRef } | null;
}

export interface DecideInput {
  id: string;
  version: number;
  decision: ReviewDecision;
  reasonCode?: string;
  note?: string;
  sanction?: { kind: SanctionKind; days?: number };
}

/** Text cut to `max` characters at a word boundary, with an ellipsis. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** How long ago, coarse: "just now", "5 min", "3 h", "2 d". */
export function age(at: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export const boardOf = (content: Content): BoardRef =>
  content.__typename === 'Thread' ? content.board : content.thread.board;

/** Whether another moderator holds a live claim on the item. */
export const claimedByOther = (item: QueueItem, now = Date.now()): boolean =>
  !item.claimedByViewer && item.claimExpiresAt !== null && Date.parse(item.claimExpiresAt) > now;

export const timeOf = (at: string): string =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** A day and a minute in a few characters: "3 Dec, 14:05". */
export const dayAndTime = (at: string): string => {
  const date = new Date(at);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time}`;
};
