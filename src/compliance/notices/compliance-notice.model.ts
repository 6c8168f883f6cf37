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
  @Field()
  jurisdiction!: string;

  @Field()
  ruleName!: string;

  @Field(() => RuleAction)
  action!: RuleAction;

  @Field()
  legalBasis!: string;

  @Field()
  explanation!: string;
}
