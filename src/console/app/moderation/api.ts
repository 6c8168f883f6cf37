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
  { value: 'USER_REPORTS', label: 'User reports' },
  { value: 'APPEAL', label: 'Appeal' },
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
  thread: { id: string; title: string; board: BoardRef };
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
  jurisdiction: string;
  boardKind: BoardKind;
  claimedByViewer: boolean;
  claimExpiresAt: string | null;
  version: number;
  reasons: ReviewReason[];
  content: Content;
}

export interface ReviewItem extends QueueItem {
  decision: ReviewDecision | null;
  reasonCode: string | null;
  history: ReviewEvent[];
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
      thread { id title board { id name kind jurisdiction } }
    }
  }`;

const QUEUE_FIELDS = `
  id
  kind
  status
  priority
  createdAt
  jurisdiction
  boardKind
  claimedByViewer
  claimExpiresAt
  version
  reasons { kind summary ruleName reportReason count }
  ${CONTENT}`;

const ITEM_FIELDS = `
  ${QUEUE_FIELDS}
  decision
  reasonCode
  history { at action actorHandle note }`;

export interface QueueFilter {
  kind?: ReviewKind;
  companyId?: string;
  jurisdiction?: string;
  boardKind?: BoardKind;
}

export interface QueueData {
  reviewQueue: {
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
