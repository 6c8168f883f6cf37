import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An employer people can verify with. Public information.' })
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
