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

@ObjectType({ description: 'A decision on a review item, as moderators see it.' })
export class DecisionRecord {
  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true })
  reasonCode!: string | null;

  @Field(() => String, { nullable: true, description: 'The note to the author.' })
  note!: string | null;

  @Field(() => SanctionKind, { nullable: true })
  sanction!: SanctionKind | null;

  @Field(() => Int, { nullable: true, description: 'SUSPENSION: its days.' })
  sanctionDays!: number | null;

  @Field({ description: 'To the minute.' })
  decidedAt!: Date;

  @Field({ description: 'The staff handle of the moderator who decided.' })
  deciderHandle!: string;
}

@ObjectType({ description: 'One report of the content; the reporter is not named.' })
export class ReportDetail {
  @Field(() => ReportReason)
  reason!: ReportReason;

  @Field(() => String, { nullable: true, description: 'The reporter’s own words.' })
  details!: string | null;

  @Field({ description: 'When it was made, to the minute.' })
  at!: Date;
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

  /** APPEAL items: the id of the item whose decision is appealed (for appealOf). */
  appealOfId!: string | null;

  @Field({
    description: 'When the item entered the queue (its creation until then), to the minute.',
  })
  enteredQueueAt!: Date;
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

  @Field(() => Int, { description: 'Items matching the filter, all pages (one COUNT).' })
  totalCount!: number;

  @Field(() => [String], {
    description:
      'The jurisdiction codes of the items of the filter’s status within your scope, whatever the other filters: the choices worth offering in a jurisdiction filter.',
  })
  jurisdictions!: string[];
}

@ObjectType({
  description:
    'The author’s earlier sanctions that still stand (not lifted on appeal), counted by kind over a window: counts only, never which posts or when. Moderators.',
})
export class AuthorHistory {
  @Field(() => Int, { description: 'The window counted, in days back from now (365).' })
  windowDays!: number;

  @Field(() => Int, { description: 'Warnings in the window.' })
  warnings!: number;

  @Field(() => Int, { description: 'Posting suspensions in the window.' })
  suspensions!: number;

  @Field(() => Int, { description: 'Bans in the window.' })
  bans!: number;
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

  @Field(() => String, {
    nullable: true,
    description:
      'Words in the post (title, text) or the item’s summaries; case-insensitive, first 100 characters.',
  })
  @IsOptional()
  @IsString()
  search?: string | null;
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
