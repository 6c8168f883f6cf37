import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A country (ISO 3166-1 alpha-2), a subdivision of one (US-CA) or a group of countries (EU). Code and name are public; rule sets are for compliance officers.',
})
export class Jurisdiction {
  @Field({ description: 'The code, e.g. US, DE, CN, US-CA or EU.' })
  code!: string;

  @Field({ description: 'The English name, e.g. "Germany".' })
  name!: string;

  @Field(() => [String], { description: 'Member codes of a group (EU); empty for a country.' })
  members!: string[];
}
