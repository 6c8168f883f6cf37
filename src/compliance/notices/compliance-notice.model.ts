import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

/** What a compliance rule does to matching content (contract enum; the rule engine uses the same values). */
export enum RuleAction {
  BLOCK = 'BLOCK',
  HOLD = 'HOLD',
  FLAG = 'FLAG',
  WITHHOLD = 'WITHHOLD',
  REDACT = 'REDACT',
}
registerEnumType(RuleAction, { name: 'RuleAction' });

@ObjectType({
  description: 'Why a jurisdiction’s rule acted on a post (shown to its author and to staff).',
})
export class ComplianceNotice {
  @Field({
    description:
      "The code of the jurisdiction whose rule acted. Empty, once the post is stored, for a rule of the author's jurisdiction that acted only because that jurisdiction governs the post (a HOLD or REDACT on a board of another jurisdiction): neither the jurisdiction nor the rule is kept with the post, which would tell where its author is; the author is shown them in full when they post.",
  })
  jurisdiction!: string;

  @Field({
    description:
      "The rule's name; `a rule of the author's jurisdiction` when the jurisdiction is empty.",
  })
  ruleName!: string;

  @Field(() => RuleAction)
  action!: RuleAction;

  @Field()
  legalBasis!: string;

  @Field()
  explanation!: string;
}
