import { registerEnumType } from '@nestjs/graphql';

export enum ReviewStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  IGNORED = 'IGNORED',
}
registerEnumType(ReviewStatus, {
  name: 'ReviewStatus',
  description: 'Where a review item stands.',
  valuesMap: {
    PENDING: { description: 'Waiting for a moderator.' },
    APPROVED: { description: 'Decided APPROVE.' },
    REJECTED: { description: 'Decided REJECT.' },
    IGNORED: { description: 'Decided IGNORE.' },
  },
});

export enum ReviewKind {
  RULE_HOLD = 'RULE_HOLD',
  RULE_FLAG = 'RULE_FLAG',
  USER_REPORTS = 'USER_REPORTS',
  APPEAL = 'APPEAL',
}
registerEnumType(ReviewKind, {
  name: 'ReviewKind',
  description: 'Why an item is in the review queue.',
  valuesMap: {
    RULE_HOLD: { description: 'A HOLD rule held the post; it shows once approved.' },
    RULE_FLAG: { description: 'A FLAG rule flagged the post; it is shown meanwhile.' },
    USER_REPORTS: { description: 'Members reported the post, past the report threshold.' },
    APPEAL: { description: 'The author appeals a decision on the post.' },
  },
});

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  IGNORE = 'IGNORE',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: 'What a moderator decides on a review item.',
  valuesMap: {
    APPROVE: { description: 'Publish held content; on an appeal: restore the content.' },
    REJECT: {
      description: 'Remove the content (reasonCode required); on an appeal: keep the decision.',
    },
    IGNORE: { description: 'Dismiss the reports or the flag; the content stays.' },
  },
});

export enum ReportReason {
  HARASSMENT = 'HARASSMENT',
  PERSONAL_INFORMATION = 'PERSONAL_INFORMATION',
  SPAM = 'SPAM',
  HATE = 'HATE',
  ILLEGAL = 'ILLEGAL',
  CONFIDENTIAL_INFORMATION = 'CONFIDENTIAL_INFORMATION',
  MISINFORMATION = 'MISINFORMATION',
  OTHER = 'OTHER',
}
registerEnumType(ReportReason, {
  name: 'ReportReason',
  description: 'Why a member reports a post.',
  valuesMap: {
    HARASSMENT: { description: 'Harassment or bullying of a person.' },
    PERSONAL_INFORMATION: { description: "Someone's personal information (doxxing)." },
    SPAM: { description: 'Spam or advertising.' },
    HATE: { description: 'Hate speech or discrimination.' },
    ILLEGAL: { description: 'Illegal content.' },
    CONFIDENTIAL_INFORMATION: { description: "An employer's confidential information." },
    MISINFORMATION: { description: 'False or misleading information.' },
    OTHER: { description: 'Anything else; say what in `details`.' },
  },
});

export enum ReviewQueueOrder {
  PRIORITY = 'PRIORITY',
  OLDEST = 'OLDEST',
}
registerEnumType(ReviewQueueOrder, {
  name: 'ReviewQueueOrder',
  description: 'The order of the review queue.',
  valuesMap: {
    PRIORITY: { description: 'Highest priority first, then oldest first.' },
    OLDEST: { description: 'Longest in the queue first.' },
  },
});
