import { registerEnumType } from '@nestjs/graphql';

export enum ReviewStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  IGNORED = 'IGNORED',
}
registerEnumType(ReviewStatus, { name: 'ReviewStatus' });

export enum ReviewKind {
  RULE_HOLD = 'RULE_HOLD',
  RULE_FLAG = 'RULE_FLAG',
  USER_REPORTS = 'USER_REPORTS',
  APPEAL = 'APPEAL',
}
registerEnumType(ReviewKind, { name: 'ReviewKind' });

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  IGNORE = 'IGNORE',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
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
registerEnumType(ReportReason, { name: 'ReportReason' });

export enum ReviewQueueOrder {
  PRIORITY = 'PRIORITY',
  OLDEST = 'OLDEST',
}
registerEnumType(ReviewQueueOrder, {
  name: 'ReviewQueueOrder',
  valuesMap: {
    PRIORITY: { description: 'Highest priority first, then oldest first.' },
    OLDEST: { description: 'Longest in the queue first.' },
  },
});
