import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Something that happened to your content or your report.' })
export class Notification {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'When it happened, to the minute.' })
  at!: Date;

  @Field({ description: 'What happened, e.g. CONTENT_REMOVED or REPORT_UPHELD.' })
  kind!: string;

  @Field()
  message!: string;

  @Field(() => ID, { nullable: true, description: 'The thread or comment it is about, if any.' })
  contentId!: string | null;

  @Field()
  read!: boolean;
}
