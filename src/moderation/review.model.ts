import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BoardKind } from '../boards/board.model';
import { SanctionKind } from '../identity/moderation/sanction-kind';
import { PageInfo } from '../infrastructure/graphql/page-info.model';
import {
  ReportReason,
  ReviewDecision,
  ReviewKind,
  ReviewQueueOrder,
  ReviewStatus,
} from './review-enums';
import { Node } from '../infrastructure/graphql/nodes/node.model';

export { ReportReason, ReviewDecision, ReviewKind, ReviewQueueOrder, ReviewStatus };

export { Content } from '../discussions/content.model';

@ObjectType()
export class ReviewReason {
  @Field(() => ReviewKind)
  kind!: ReviewKind;

  @Field()
  summary!: string;

  @Field(() => String, { nullable: true })
  ruleName!: string | null;

  @Field(() => ReportReason, { nullable: true })
  reportReason!: ReportReason | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class ReviewEvent {
  @Field()
  at!: Date;

  @Field()
  action!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A staff handle; null for members and rules.',
  })
  actorHandle!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({
  implements: () => [Node],
  description: 'Content needing a moderator (moderators only).',
})
export class ReviewItem {
  @Field(() => ID)
  id!: string;

  /** Resolved by a field resolver. */
  contentId!: string;
  contentKind!: 'THREAD' | 'COMMENT';

  @Field(() => ReviewKind)
  kind!: ReviewKind;

  @Field(() => ReviewStatus)
  status!: ReviewStatus;

  @Field(() => Float)
  priority!: number;

  @Field(() => [ReviewReason])
  reasons!: ReviewReason[];

  @Field(() => Int, { description: 'Pass it back to claim or decide (optimistic locking).' })
  version!: number;

  /** For claimedByViewer. */
  claimedBy!: string | null;

  @Field(() => Date, { nullable: true })
  claimExpiresAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => BoardKind)
  boardKind!: BoardKind;

  @Field(() => String, { description: 'The jurisdiction of the content’s board.' })
  jurisdiction!: string;

  @Field(() => ReviewDecision, { nullable: true })
  decision!: ReviewDecision | null;

  @Field(() => String, { nullable: true })
  reasonCode!: string | null;
}

@ObjectType()
export class ReviewItemEdge {
  @Field()
  cursor!: string;

  @Field(() => ReviewItem)
  node!: ReviewItem;
}

@ObjectType()
export class ReviewItemConnection {
  @Field(() => [ReviewItemEdge])
  edges!: ReviewItemEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A reason code moderators remove content with (DSA categories).' })
export class ReasonCodeInfo {
  @Field()
  code!: string;

  @Field()
  category!: string;

  @Field()
  label!: string;
}

@InputType()
export class ReviewQueueFilter {
  @Field(() => ReviewStatus, { nullable: true, defaultValue: ReviewStatus.PENDING })
  @IsOptional()
  status?: ReviewStatus | null;

  @Field(() => ReviewKind, { nullable: true })
  @IsOptional()
  kind?: ReviewKind | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  companyId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  jurisdiction?: string | null;

  @Field(() => BoardKind, { nullable: true })
  @IsOptional()
  boardKind?: BoardKind | null;
}

@InputType()
export class SanctionInput {
  @Field(() => SanctionKind)
  @IsIn(Object.values(SanctionKind))
  kind!: SanctionKind;

  @Field(() => Int, { nullable: true, description: 'SUSPENSION only: 1–3650 days.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number | null;
}

@InputType()
export class DecideReviewItemInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field(() => ReviewDecision)
  @IsIn(Object.values(ReviewDecision))
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'Required to REJECT (see reasonCodes).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reasonCode?: string | null;

  @Field(() => String, { nullable: true, description: 'To the author, with the reason (≤ 2,000).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @Field(() => SanctionInput, { nullable: true, description: 'With REJECT only.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SanctionInput)
  sanction?: SanctionInput | null;
}
