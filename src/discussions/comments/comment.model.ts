import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import { CreatePostInput, PostPayload } from '../post-io.model';
import { ContentStatus } from '../../posts/content-status';
import { Node } from '../../infrastructure/graphql/nodes/node.model';

@ObjectType({
  implements: () => [Node],
  description: 'A reply in a thread, to the thread or to one of its top-level comments.',
})
export class Comment {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The comment this replies to (replies are one level deep).',
  })
  parentId!: string | null;

  @Field({ description: 'Plain text. Empty once deleted.' })
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

  @Field({ description: 'Rounded to the minute.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null unless edited; rounded to the minute.' })
  editedAt!: Date | null;

  /** Resolved by `thread`; not a GraphQL field itself. */
  threadId!: string;
}

@ObjectType({ description: 'One comment of a page, with its cursor.' })
export class CommentEdge {
  @Field({ description: 'Pass as `after` to continue after this comment.' })
  cursor!: string;

  @Field(() => Comment, { description: 'The comment.' })
  node!: Comment;
}

@ObjectType({ description: 'A page of comments (Relay cursor connection).' })
export class CommentConnection {
  @Field(() => [CommentEdge], { description: 'The comments of this page, in order.' })
  edges!: CommentEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'A new comment on a thread, or a reply to one of its comments.' })
export class CreateCommentInput extends CreatePostInput {
  @Field(() => ID, { description: 'The thread to comment on (`Thread.id`).' })
  @IsString()
  threadId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Reply to this top-level comment of the same thread.',
  })
  @IsOptional()
  @IsString()
  parentId?: string;

  @Field({ description: '1–10,000 characters of plain text or Markdown.' })
  @IsString()
  body!: string;
}

@ObjectType({
  description: 'What createComment answers: the new comment and what rules did to it.',
})
export class CommentPayload extends PostPayload {
  @Field(() => Comment, {
    description: 'The new comment, as saved (its status says whether it is shown).',
  })
  comment!: Comment;
}
