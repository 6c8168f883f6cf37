import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { EmployerDisclosure } from '../../identity/pseudonyms/employer-label';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import { ContentStatus } from '../content-status';

@ObjectType()
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
export class CreateCommentInput {
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

  @Field(() => EmployerDisclosure, { nullable: true, defaultValue: EmployerDisclosure.NONE })
  @IsOptional()
  @IsEnum(EmployerDisclosure)
  disclosure?: EmployerDisclosure;

  @Field({
    nullable: true,
    description: 'Idempotency key: retrying with the same value returns the first answer.',
  })
  @IsOptional()
  @IsString()
  clientMutationId?: string;
}

@ObjectType()
export class CommentPayload {
  @Field(() => Comment)
  comment!: Comment;

  @Field(() => [ComplianceNotice])
  notices!: ComplianceNotice[];

  @Field(() => String, { nullable: true })
  clientMutationId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set when your employer label was lowered (k-anonymity), saying why.',
  })
  labelNotice!: string | null;
}
