import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Node } from '../infrastructure/graphql/nodes/node.model';

@ObjectType({
  implements: () => [Node],
  description: 'An employer people can verify with. Public information.',
})
export class Company {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field()
  industry!: string;

  @Field({ description: 'Head-count band, e.g. "1k–5k".' })
  sizeBand!: string;

  @Field({ description: 'Jurisdiction code of the company (and of its board).' })
  jurisdiction!: string;

  @Field(() => [String], { description: 'Email domains whose addresses verify employment here.' })
  domains!: string[];
}

@ObjectType({
  description: 'An unknown work domain someone tried to verify with (no person is recorded).',
})
export class CompanyRequest {
  @Field()
  domain!: string;

  @Field(() => Int, { description: 'Verification attempts with this domain so far.' })
  attempts!: number;

  @Field()
  firstSeenAt!: Date;

  @Field()
  lastSeenAt!: Date;
}
