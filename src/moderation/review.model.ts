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

@ObjectType({ description: 'One reason an item is queued: a rule hit or a report reason.' })
export class ReviewReason {
  @Field(() => ReviewKind, { description: 'Where the reason comes from.' })
  kind!: ReviewKind;

  @Field({
    description: 'The reason in plain words (for a rule: its jurisdiction and explanation).',
  })
  summary!: string;

  @Field(() => String, { nullable: true, description: 'The rule that hit; null for reports.' })
  ruleName!: string | null;

  @Field(() => ReportReason, {
    nullable: true,
    description: 'The report reason; null for rule hits.',
  })
  reportReason!: ReportReason | null;

  @Field(() => Int, { description: 'How many times: reports with this reason, or 1.' })
  count!: number;
}

@ObjectType({ description: "One entry of a review item's append-only history." })
export class ReviewEvent {
  @Field({ description: 'When it happened, to the minute.' })
  at!: Date;

  @Field({
    description:
      'What happened: created, updated, reported, reopened, hidden, claimed, appealed, or `decided: <DECISION>`.',
  })
  action!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A staff handle; null for members and rules.',
  })
  actorHandle!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What came with it: a summary, a report reason, a statement or a note.',
  })
  note!: string | null;
}

@ObjectType({ description: 'A decision on a review item, as moderators see it.' })
export class DecisionRecord {
  @Field(() => ReviewDecision, { description: 'What was decided.' })
  decision!: ReviewDecision;

  @Field(() => String, {
    nullable: true,
    description: 'The reason code of a REJECT (reasonCodes).',
  })
  reasonCode!: string | null;

  @Field(() => String, { nullable: true, description: 'The note to the author.' })
  note!: string | null;

  @Field(() => SanctionKind, { nullable: true, description: 'The sanction given; null for none.' })
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
  @Field(() => ReportReason, { description: 'The reason the reporter chose.' })
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
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  /** Resolved by a field resolver. */
  contentId!: string;
  contentKind!: 'THREAD' | 'COMMENT';

  @Field(() => ReviewKind, { description: 'Why the item is queued.' })
  kind!: ReviewKind;

  @Field(() => ReviewStatus, { description: 'Pending or decided.' })
  status!: ReviewStatus;

  @Field(() => Float, {
    description:
      'Higher is more urgent: a base per kind plus the weighted report score (docs/moderation.md, "Scoring").',
  })
  priority!: number;

  @Field(() => [ReviewReason], { description: 'The rule hits and report reasons behind it.' })
  reasons!: ReviewReason[];

  @Field(() => Int, { description: 'Pass it back to claim or decide (optimistic locking).' })
  version!: number;

  /** For claimedByViewer. */
  claimedBy!: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the latest claim lapses (a past time: nobody holds it); null when unclaimed or decided.',
  })
  claimExpiresAt!: Date | null;

  @Field({ description: 'When the item was created.' })
  createdAt!: Date;

  @Field(() => BoardKind, { description: "The kind of the content's board." })
  boardKind!: BoardKind;

  @Field(() => String, { description: 'The jurisdiction of the content’s board.' })
  jurisdiction!: string;

  @Field(() => ReviewDecision, { nullable: true, description: 'The decision; null while pending.' })
  decision!: ReviewDecision | null;

  @Field(() => String, {
    nullable: true,
    description: 'The reason code of a REJECT; null otherwise.',
  })
  reasonCode!: string | null;

  /** APPEAL items: the id of the item whose decision is appealed (for appealOf). */
  appealOfId!: string | null;

  @Field({
    description: 'When the item entered the queue (its creation until then), to the minute.',
  })
  enteredQueueAt!: Date;
}

@ObjectType({ description: 'One review item of a page, with its cursor.' })
export class ReviewItemEdge {
  @Field({ description: 'Pass as `after` to continue after this item.' })
  cursor!: string;

  @Field(() => ReviewItem, { description: 'The review item.' })
  node!: ReviewItem;
}

@ObjectType({ description: 'A page of the review queue (Relay cursor connection).' })
export class ReviewItemConnection {
  @Field(() => [ReviewItemEdge], { description: 'The items of this page, in order.' })
  edges!: ReviewItemEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
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
  @Field({ description: 'Pass as `reasonCode`, e.g. `harassment`.' })
  code!: string;

  @Field({ description: 'The DSA statement-of-reasons category, e.g. `CYBER_VIOLENCE`.' })
  category!: string;

  @Field({ description: 'Shown to the author, e.g. "Harassment or bullying of a person".' })
  label!: string;
}

@InputType({ description: 'Which review items to show; every field narrows the view.' })
export class ReviewQueueFilter {
  @Field(() => ReviewStatus, {
    nullable: true,
    defaultValue: ReviewStatus.PENDING,
    description: 'Pending items, or those decided so.',
  })
  @IsOptional()
  status?: ReviewStatus | null;

  @Field(() => ReviewKind, { nullable: true, description: 'Only items of this kind.' })
  @IsOptional()
  kind?: ReviewKind | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only this company's board (a scoped moderator may ask for no other).",
  })
  @IsOptional()
  @IsUUID()
  companyId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only content of boards of this jurisdiction code (at most 16 characters).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  jurisdiction?: string | null;

  @Field(() => BoardKind, {
    nullable: true,
    description: 'Only company boards, or only public ones.',
  })
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

@InputType({ description: 'A sanction on the author of rejected content.' })
export class SanctionInput {
  @Field(() => SanctionKind, { description: 'Warning, suspension or ban.' })
  @IsIn(Object.values(SanctionKind))
  kind!: SanctionKind;

  @Field(() => Int, { nullable: true, description: 'SUSPENSION only: 1–3650 days.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number | null;
}

@InputType({ description: 'A decision on one review item.' })
export class DecideReviewItemInput {
  @Field(() => ID, { description: 'The item (`ReviewItem.id`).' })
  @IsUUID()
  id!: string;

  @Field(() => Int, {
    description: 'The `ReviewItem.version` you read; a stale one answers CONFLICT.',
  })
  @IsInt()
  version!: number;

  @Field(() => ReviewDecision, { description: 'Approve, reject or ignore.' })
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
