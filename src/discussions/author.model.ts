import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'How an author appears: a per-thread pseudonym and an employer label, nothing that identifies them.',
})
export class Author {
  @Field({ description: 'Per-thread pseudonym, e.g. "Quiet Otter".' })
  handle!: string;

  @Field({
    description:
      '"Acme Corp" | "an employee at an Internet company, 1k–5k" | "a verified employee".',
  })
  employerLabel!: string;

  @Field({ description: 'Whether this is the author of the thread.' })
  isOriginalPoster!: boolean;

  @Field({ description: 'Whether this is you.' })
  isViewer!: boolean;
}
