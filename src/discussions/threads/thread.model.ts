import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import { CreatePostInput, PostPayload } from '../post-io.model';
import { ContentStatus } from '../../posts/content-status';
import { Node } from '../../infrastructure/graphql/nodes/node.model';
import { PollInput } from '../polls/poll.model';

@ObjectType({ implements: () => [Node] })
export class Thread {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Empty once deleted.' })
  title!: string;

  @Field({ description: 'Plain text (clients may render Markdown, safely). Empty once deleted.' })
  body!: string;

  @Field(() => Author)
  author!: Author;

  @Field(() => ContentStatus)
  status!: ContentStatus;

  @Field(() => Int)
  score!: number;

  @Field(() => Int)
  commentCount!: number;

  @Field({ description: 'Rounded to the minute.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null unless edited; rounded to the minute.' })
  editedAt!: Date | null;

  /** Resolved by `board`; not a GraphQL field itself. */
  boardId!: string;
}

@ObjectType()
export class ThreadEdge {
  @Field()
  cursor!: string;

  @Field(() => Thread)
  node!: Thread;
}

@ObjectType()
export class ThreadConnection {
  @Field(() => [ThreadEdge])
  edges!: ThreadEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class CreateThreadInput extends CreatePostInput {
  @Field(() => ID)
  @IsString()
  boardId!: string;

  @Field({ description: '1–200 characters.' })
  @IsString()
  title!: string;

  @Field({ description: '1–20,000 characters of plain text or Markdown.' })
  @IsString()
  body!: string;

  @Field(() => PollInput, { nullable: true, description: 'A poll to ask with the thread.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PollInput)
  poll?: PollInput | null;
}

@ObjectType()
export class ThreadPayload extends PostPayload {
  @Field(() => Thread)
  thread!: Thread;
}
