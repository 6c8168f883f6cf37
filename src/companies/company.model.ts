import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Node } from '../infrastructure/graphql/nodes/node.model';

@ObjectType({
  implements: () => [Node],
  description: 'An employer people can verify with. Public information.',
})
export class Company {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field({ description: 'The short name in addresses, e.g. `acme-cloud`.' })
  slug!: string;

  @Field({ description: 'The display name.' })
  name!: string;

  @Field({ description: 'The industry, as INDUSTRY employer labels show it (e.g. "Internet").' })
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
  @Field({ description: 'The email domain, e.g. `example.com`.' })
  domain!: string;

  @Field(() => Int, { description: 'Verification attempts with this domain so far.' })
  attempts!: number;

  @Field({ description: 'The first attempt, to the minute.' })
  firstSeenAt!: Date;

  @Field({ description: 'The latest attempt, to the minute.' })
  lastSeenAt!: Date;
}
