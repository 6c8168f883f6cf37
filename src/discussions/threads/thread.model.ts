import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import type { Board } from '../../boards/board.model';
import { CreatePostInput, PostPayload } from '../post-io.model';
import { ContentStatus } from '../../posts/content-status';
import { Node } from '../../infrastructure/graphql/nodes/node.model';
import { PollInput } from '../polls/poll.model';

@ObjectType({
  implements: () => [Node],
  description:
    'A discussion started on a board: title, body, pseudonymous author, score and comments.',
})
export class Thread {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field({ description: 'Empty once deleted.' })
  title!: string;

  @Field({ description: 'Plain text (clients may render Markdown, safely). Empty once deleted.' })
  body!: string;

  @Field(() => Author, {
    description: 'The pseudonymous author: per-thread handle and employer label.',
  })
  author!: Author;

  @Field(() => ContentStatus, {
    description:
      'PUBLISHED, or DELETED (an empty tombstone); its author and staff also reach it HELD, REJECTED or REMOVED.',
  })
  status!: ContentStatus;

  @Field(() => Int, { description: 'Up votes minus down votes.' })
  score!: number;

  @Field(() => Int, {
    description: 'How many comments it has (those withheld in your jurisdiction not counted).',
  })
  commentCount!: number;

  @Field({ description: 'Rounded to the minute.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null unless edited; rounded to the minute.' })
  editedAt!: Date | null;

  /** Resolved by `board`; not a GraphQL field itself. */
  boardId!: string;

  /**
   * Filled by a page that read them in one go (prefilled-fields.ts); where unset, the fields
   * `viewerVote` and `board` are resolved per thread by ThreadsResolver.
   */
  viewerVote?: number;
  board?: Board;
}

@ObjectType({ description: 'One thread of a page, with its cursor.' })
export class ThreadEdge {
  @Field({ description: 'Pass as `after` to continue after this thread.' })
  cursor!: string;

  @Field(() => Thread, { description: 'The thread.' })
  node!: Thread;
}

@ObjectType({ description: 'A page of threads (Relay cursor connection).' })
export class ThreadConnection {
  @Field(() => [ThreadEdge], { description: 'The threads of this page, in order.' })
  edges!: ThreadEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'A new thread: where, title, body, and optionally a poll.' })
export class CreateThreadInput extends CreatePostInput {
  @Field(() => ID, {
    description: 'The board to post on (`Board.id`).',
  })
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

@ObjectType({ description: 'What createThread answers: the new thread and what rules did to it.' })
export class ThreadPayload extends PostPayload {
  @Field(() => Thread, {
    description: 'The new thread, as saved (its status says whether it is shown).',
  })
  thread!: Thread;
}
