import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

/** What a compliance rule does to matching content (contract enum; the rule engine uses the same values). */
export enum RuleAction {
  BLOCK = 'BLOCK',
  HOLD = 'HOLD',
  FLAG = 'FLAG',
  WITHHOLD = 'WITHHOLD',
  REDACT = 'REDACT',
}
registerEnumType(RuleAction, {
  name: 'RuleAction',
  description:
    "What a compliance rule does to matching content. Outside the jurisdictions that govern a post (its board's and its author's), BLOCK and HOLD act as WITHHOLD.",
  valuesMap: {
    BLOCK: { description: 'Refused at submission (CONTENT_BLOCKED), with the explanation.' },
    HOLD: { description: 'Saved but not published until a moderator approves it.' },
    FLAG: { description: 'Published, and queued for a moderator to review.' },
    WITHHOLD: {
      description: 'Published, but hidden from viewers in that jurisdiction only.',
    },
    REDACT: { description: 'Published with the matched text masked.' },
  },
});

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

  @Field(() => RuleAction, { description: 'What the rule did to the post.' })
  action!: RuleAction;

  @Field({ description: 'The law or policy the rule rests on.' })
  legalBasis!: string;

  @Field({ description: 'Why the post was acted on, and how to appeal, in plain words.' })
  explanation!: string;
}
