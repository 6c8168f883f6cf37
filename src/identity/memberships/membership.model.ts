import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Company } from '../../companies/company.model';

export enum MembershipStatus {
  CURRENT = 'CURRENT',
  FORMER = 'FORMER',
}
registerEnumType(MembershipStatus, { name: 'MembershipStatus' });

@ObjectType({ description: 'A verified employment of the viewer (never shown to anyone else).' })
export class Membership {
  @Field(() => Company)
  company!: Company;

  @Field(() => MembershipStatus, { description: 'FORMER once expired; verify again to renew.' })
  status!: MembershipStatus;

  @Field()
  verifiedAt!: Date;

  @Field()
  expiresAt!: Date;
}
