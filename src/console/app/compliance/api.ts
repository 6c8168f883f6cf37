import { gql } from '@urql/preact';

/** GraphQL operations and answer shapes of the compliance pages (schema.gql). */

export type RuleAction = 'BLOCK' | 'HOLD' | 'FLAG' | 'WITHHOLD' | 'REDACT';
export type MatcherKind = 'KEYWORDS' | 'REGEX' | 'PROFANITY' | 'PII';
export type BoardKind = 'COMPANY' | 'PUBLIC';
export type PostField = 'TITLE' | 'BODY';
export type RuleSetStatus = 'DRAFT' | 'ACTIVE' | 'SUPERSEDED';

export const RULE_ACTIONS: readonly RuleAction[] = ['BLOCK', 'HOLD', 'FLAG', 'WITHHOLD', 'REDACT'];
/** The actions from the least destructive to the most, as the rule form offers them. */
export const ACTIONS_LEAST_FIRST: readonly RuleAction[] = [
  'FLAG',
  'REDACT',
  'HOLD',
  'WITHHOLD',
  'BLOCK',
];
/** A new rule's action until the officer picks another: published, and a moderator looks. */
export const DEFAULT_RULE_ACTION: RuleAction = 'FLAG';
export const MATCHER_KINDS: readonly MatcherKind[] = ['KEYWORDS', 'REGEX', 'PROFANITY', 'PII'];
export const BOARD_KINDS: readonly BoardKind[] = ['COMPANY', 'PUBLIC'];
export const POST_FIELDS: readonly PostField[] = ['TITLE', 'BODY'];
/** The built-in PII detectors (PHONE = both phone kinds; none ticked = all). */
export const PII_KINDS = ['EMAIL', 'PHONE', 'PHONE_CN_MOBILE', 'PHONE_INTL', 'CN_RESIDENT_ID'];

/** What an action does to a matching post, in full, under the rule form's action. */
export const ACTION_CONSEQUENCE: Record<RuleAction, string> = {
  FLAG: 'Posts stay up for everyone and go to the review queue: a moderator decides. Nothing is hidden by the rule itself.',
  REDACT:
    'Posts are published with the matched text masked for everyone (withheld in this jurisdiction when it does not govern the post).',
  HOLD: 'Posts are saved but nobody sees them until a moderator approves (withheld in this jurisdiction when it does not govern the post).',
  WITHHOLD:
    'Posts are hidden from every viewer in this jurisdiction, in feeds, search and counts; they stay up elsewhere.',
  BLOCK:
    'Posts are refused at submission with the explanation (withheld in this jurisdiction when it does not govern the post).',
};

export const ACTION_HELP: Record<RuleAction, string> = {
  BLOCK: 'refused at submission',
  HOLD: 'held for a moderator',
  FLAG: 'published, queued for review',
  WITHHOLD: 'hidden from viewers in this jurisdiction',
  REDACT: 'matched text masked',
};

/** How a KEYWORDS or PROFANITY rule reads evasions; null: the engine's default. */
export const MATCH_OPTIONS = [
  'decoded',
  'spaced',
  'lines',
  'masks',
  'reversed',
  'checkWords',
  'inflections',
  'pinyin',
  'homophones',
  'splitCharacters',
] as const;
export type MatchOption = (typeof MATCH_OPTIONS)[number];

/** What each option reads, as the rule editor explains it. */
export const MATCH_OPTION_HELP: Record<MatchOption, string> = {
  decoded: 'HTML and %-encoding (&#102;uck, %66uck)',
  spaced: 'spaced-out letters (s c a b, f.u.c.k)',
  lines: 'one CJK character per line (六⏎四)',
  masks: 'masks inside words (f*ck, sh*t, 法*功, 傻X)',
  reversed: 'text written backwards (kcuf, 平近习)',
  checkWords: 'two-character CJK terms only where they are a word (not 方法|轮流 for 法轮)',
  inflections: 'inflections and compounds (scabs, bullshit)',
  pinyin: 'pinyin and initials (liusi, flg)',
  homophones:
    'same-sound characters (习进平); default: terms of 3+ characters, 2-character terms with one kept (番墙)',
  splitCharacters: 'characters split into parts (氵去 for 法)',
};

export interface Matcher {
  kind: MatcherKind;
  terms: string[];
  pattern: string | null;
  piiKinds: string[];
  exclude: string[];
  options: Record<MatchOption, boolean | null>;
}

export interface Rule {
  id: string;
  name: string;
  action: RuleAction;
  boardKinds: BoardKind[];
  fields: PostField[];
  enabled: boolean;
  legalBasis: string;
  explanation: string;
  matcher: Matcher;
}

export interface VersionSummary {
  id: string;
  version: number;
  status: RuleSetStatus;
  createdAt: string;
  publishedAt: string | null;
  basedOnVersion: number | null;
  rollbackOf: number | null;
  rules: Array<{ id: string }>;
}

/** This version's rules against the active version's, paired by name. */
export interface RuleSetDiff {
  added: Rule[];
  removed: Rule[];
  changed: Array<{ before: Rule; after: Rule }>;
}

export type RetroactiveRunStatus = 'RUNNING' | 'FINISHED' | 'FAILED';

export interface RetroactiveRun {
  id: string;
  status: RetroactiveRunStatus;
  total: number;
  scanned: number;
  changed: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface RuleSetVersion {
  id: string;
  jurisdiction: string;
  version: number;
  status: RuleSetStatus;
  basedOnVersion: number | null;
  rollbackOf: number | null;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  lastEditedByViewer: boolean;
  rules: Rule[];
  diff: RuleSetDiff;
  retroactiveRun: RetroactiveRun | null;
}

export interface Jurisdiction {
  code: string;
  name: string;
  members: string[];
  activeRuleSet: { id: string; version: number } | null;
  ruleSets: VersionSummary[];
}

export const JURISDICTIONS = gql`
  query ComplianceJurisdictions {
    jurisdictions {
      code
      name
      members
      activeRuleSet {
        id
        version
      }
      ruleSets {
        id
        version
        status
        createdAt
        publishedAt
        basedOnVersion
        rollbackOf
        rules {
          id
        }
      }
    }
  }
`;

export const CREATE_DRAFT = gql`
  mutation ComplianceCreateDraft($jurisdiction: String!, $copyActive: Boolean!) {
    createRuleSetDraft(jurisdiction: $jurisdiction, copyActive: $copyActive) {
      id
      version
      status
    }
  }
`;

export const ROLLBACK = gql`
  mutation ComplianceRollback(
    $jurisdiction: String!
    $toVersion: Int!
    $emergency: Boolean
    $reason: String
  ) {
    rollbackRuleSet(
      jurisdiction: $jurisdiction
      toVersion: $toVersion
      emergency: $emergency
      reason: $reason
    ) {
      id
      version
      status
      basedOnVersion
      rollbackOf
    }
  }
`;

const RUN_FIELDS = `
  id
  status
  total
  scanned
  changed
  startedAt
  finishedAt
`;

const RULE_FIELDS = `
  id
  name
  action
  boardKinds
  fields
  enabled
  legalBasis
  explanation
  matcher {
    kind
    terms
    pattern
    piiKinds
    exclude
    options {
      decoded
      spaced
      lines
      masks
      reversed
      checkWords
      inflections
      pinyin
      homophones
      splitCharacters
    }
  }
`;

export const RULE_SET = gql`
  query ComplianceRuleSet($id: ID!) {
    ruleSet(id: $id) {
      id
      jurisdiction
      version
      status
      basedOnVersion
      createdAt
      publishedAt
      updatedAt
      lastEditedByViewer
      rollbackOf
      rules {
        ${RULE_FIELDS}
      }
      diff {
        added {
          ${RULE_FIELDS}
        }
        removed {
          ${RULE_FIELDS}
        }
        changed {
          before {
            ${RULE_FIELDS}
          }
          after {
            ${RULE_FIELDS}
          }
        }
      }
      retroactiveRun {
        ${RUN_FIELDS}
      }
    }
  }
`;

/** The retroactive run of a version, polled while it goes. */
export const RETROACTIVE_RUN = gql`
  query ComplianceRetroactiveRun($id: ID!) {
    ruleSet(id: $id) {
      id
      retroactiveRun {
        ${RUN_FIELDS}
      }
    }
  }
`;

export const ADD_RULE = gql`
  mutation ComplianceAddRule($ruleSetId: ID!, $input: RuleInput!) {
    addRule(ruleSetId: $ruleSetId, input: $input) {
      ${RULE_FIELDS}
    }
  }
`;

export const UPDATE_RULE = gql`
  mutation ComplianceUpdateRule($ruleId: ID!, $input: RuleInput!) {
    updateRule(ruleId: $ruleId, input: $input) {
      ${RULE_FIELDS}
    }
  }
`;

export const REMOVE_RULE = gql`
  mutation ComplianceRemoveRule($ruleId: ID!) {
    removeRule(ruleId: $ruleId)
  }
`;

export const PUBLISH = gql`
  mutation CompliancePublish($ruleSetId: ID!, $applyRetroactively: Boolean!) {
    publishRuleSet(ruleSetId: $ruleSetId, applyRetroactively: $applyRetroactively) {
      id
      version
      status
      publishedAt
      updatedAt
      lastEditedByViewer
    }
  }
`;

export interface RuleHit {
  ruleId: string;
  ruleName: string;
  action: RuleAction;
  jurisdiction: string;
  matcherKind: MatcherKind;
  piiKind: string | null;
  matchedText: string;
  start: number;
  end: number;
  /** KEYWORDS and PROFANITY: the step of reading the text the hit relies on. */
  via: string | null;
  /** KEYWORDS and PROFANITY: the form of the term that matched, if not as written. */
  expansion: string | null;
}

export interface RuleTestResult {
  outcome: string;
  redactedText: string;
  hits: RuleHit[];
}

export const TEST_RULES = gql`
  query ComplianceTestRules($ruleSetId: ID!, $text: String!, $boardKind: BoardKind!) {
    testRules(ruleSetId: $ruleSetId, text: $text, boardKind: $boardKind) {
      outcome
      redactedText
      hits {
        ruleId
        ruleName
        action
        jurisdiction
        matcherKind
        piiKind
        matchedText
        start
        end
        via
        expansion
      }
    }
  }
`;

export interface ImpactPreview {
  scanned: number;
  changed: number;
  truncated: boolean;
  byAction: Array<{ action: RuleAction; count: number }>;
  samples: Array<{ contentId: string; before: string; after: string }>;
}

export const PREVIEW_IMPACT = gql`
  query CompliancePreviewImpact($ruleSetId: ID!, $since: DateTime!) {
    previewRuleSetImpact(ruleSetId: $ruleSetId, since: $since) {
      scanned
      changed
      truncated
      byAction {
        action
        count
      }
      samples {
        contentId
        before
        after
      }
    }
  }
`;

export interface AuditEntry {
  id: string;
  at: string;
  actorHandle: string;
  actorRole: string;
  action: string;
  subject: string;
  detail: string;
  details: Record<string, unknown>;
  log: string;
  seq: number;
}

export const AUDIT_LOG = gql`
  query ComplianceAuditLog(
    $first: Int!
    $after: String
    $action: String
    $actorHandle: String
    $from: DateTime
    $to: DateTime
  ) {
    auditLog(
      first: $first
      after: $after
      action: $action
      actorHandle: $actorHandle
      from: $from
      to: $to
    ) {
      edges {
        cursor
        node {
          id
          at
          actorHandle
          actorRole
          action
          subject
          detail
          details
          log
          seq
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadEntryId: string | null;
  heads: Array<{ log: string; seq: number; hash: string }>;
}

export const VERIFY_AUDIT_LOG = gql`
  query ComplianceVerifyAuditLog {
    verifyAuditLog {
      ok
      checked
      firstBadEntryId
      heads {
        log
        seq
        hash
      }
    }
  }
`;

export interface CountBy {
  key: string;
  count: number;
}

export interface TransparencyReport {
  from: string;
  to: string;
  byJurisdiction: CountBy[];
  byAction: CountBy[];
  byDecision: CountBy[];
  byReportReason: CountBy[];
  medianSecondsToDecision: number | null;
}

export const TRANSPARENCY_REPORT = gql`
  query ComplianceTransparencyReport($from: DateTime!, $to: DateTime!) {
    transparencyReport(from: $from, to: $to) {
      from
      to
      byJurisdiction {
        key
        count
      }
      byAction {
        key
        count
      }
      byDecision {
        key
        count
      }
      byReportReason {
        key
        count
      }
      medianSecondsToDecision
    }
  }
`;
