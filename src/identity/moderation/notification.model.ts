import { Field, ID, ObjectType } from '@nestjs/graphql';
import { NotificationKind } from './notification-kind';

@ObjectType({
  description: 'Something that happened to your content, your report or a thread you follow.',
})
export class Notification {
  @Field(() => ID, { description: 'Pass to markNotificationsRead.' })
  id!: string;

  @Field({ description: 'When it happened, to the minute.' })
  at!: Date;

  @Field(() => NotificationKind, { description: 'What happened.' })
  kind!: NotificationKind;

  @Field({ description: 'What happened, in plain words, ready to show.' })
  message!: string;

  @Field(() => ID, { nullable: true, description: 'The thread or comment it is about, if any.' })
  contentId!: string | null;

  @Field({ description: 'True once marked read with markNotificationsRead.' })
  read!: boolean;
}
