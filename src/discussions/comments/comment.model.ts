import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import { CreatePostInput, PostPayload } from '../post-io.model';
import { ContentStatus } from '../../posts/content-status';
import { Node } from '../../infrastructure/graphql/nodes/node.model';

@ObjectType({ implements: () => [Node] })
export class Comment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The comment this replies to (replies are one level deep).',
  })
  parentId!: string | null;

  @Field({ description: 'Plain text. Empty once deleted.' })
  body!: string;

  @Field(() => Author)
  author!: Author;

  @Field(() => ContentStatus)
  status!: ContentStatus;

  @Field(() => Int)
  score!: number;

  @Field({ description: 'Rounded to the minute.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null unless edited; rounded to the minute.' })
  editedAt!: Date | null;

  /** Resolved by `thread`; not a GraphQL field itself. */
  threadId!: string;
}

@ObjectType()
export class CommentEdge {
  @Field()
  cursor!: string;

  @Field(() => Comment)
  node!: Comment;
}

@ObjectType()
export class CommentConnection {
  @Field(() => [CommentEdge])
  edges!: CommentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class CreateCommentInput extends CreatePostInput {
  @Field(() => ID)
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

@ObjectType()
export class CommentPayload extends PostPayload {
  @Field(() => Comment)
  comment!: Comment;
}
