import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { EmployerDisclosure } from '../../identity/pseudonyms/employer-label';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Author } from '../author.model';
import { ContentStatus } from '../content-status';

export enum ThreadOrder {
  NEW = 'NEW',
  TOP = 'TOP',
  HOT = 'HOT',
}
registerEnumType(ThreadOrder, {
  name: 'ThreadOrder',
  valuesMap: {
    NEW: { description: 'Newest first.' },
    TOP: { description: 'Highest score first (all time).' },
    HOT: { description: 'Score decayed by age (docs/discussions.md).' },
  },
});

@ObjectType()
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
export class CreateThreadInput {
  @Field(() => ID)
  @IsString()
  boardId!: string;

  @Field({ description: '1–200 characters.' })
  @IsString()
  title!: string;

  @Field({ description: '1–20,000 characters of plain text or Markdown.' })
  @IsString()
  body!: string;

  @Field(() => EmployerDisclosure, {
    nullable: true,
    defaultValue: EmployerDisclosure.NONE,
    description:
      'How much of your employer to show; COMPANY falls back to INDUSTRY below k members.',
  })
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
export class ThreadPayload {
  @Field(() => Thread)
  thread!: Thread;

  @Field(() => [ComplianceNotice])
  notices!: ComplianceNotice[];

  @Field(() => String, { nullable: true })
  clientMutationId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Set when your employer label was lowered (e.g. COMPANY → INDUSTRY below the k-anonymity threshold), saying why.',
  })
  labelNotice!: string | null;
}
