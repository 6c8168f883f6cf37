import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Relay page information of a cursor connection.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null when the page is empty.',
  })
  endCursor!: string | null;
}
