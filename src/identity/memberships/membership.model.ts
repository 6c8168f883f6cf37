import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Company } from '../../companies/company.model';

export enum MembershipStatus {
  CURRENT = 'CURRENT',
  FORMER = 'FORMER',
}
registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Whether a verified employment still counts.',
  valuesMap: {
    CURRENT: { description: 'Valid now: counts for the company board and the employer label.' },
    FORMER: { description: 'Expired or left; verify the work address again to renew it.' },
  },
});

@ObjectType({ description: 'A verified employment of the viewer (never shown to anyone else).' })
export class Membership {
  @Field(() => Company, { description: 'The employer.' })
  company!: Company;

  @Field(() => MembershipStatus, { description: 'FORMER once expired; verify again to renew.' })
  status!: MembershipStatus;

  @Field({ description: 'When the work address was last verified (the UTC day).' })
  verifiedAt!: Date;

  @Field({
    description:
      'When the membership turns FORMER unless verified again (a UTC midnight, MEMBERSHIP_VALIDITY_DAYS after verifying).',
  })
  expiresAt!: Date;
}
