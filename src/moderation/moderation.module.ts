import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BoardsModule } from '../boards/boards.module';
import { EnforcementModule } from '../compliance/enforcement/enforcement.module';
import { DiscussionsModule } from '../discussions/discussions.module';
import { IdentityModule } from '../identity/identity.module';
import { ModeratedContentService } from './moderated-content';
import { Appeals } from './appeals.service';
import { DecisionEffects } from './decision-effects';
import { Reports } from './reports.service';
import { ReviewDecisions } from './review-decisions.service';
import { ReviewIntake } from './review-intake.service';
import { ReviewQueueEvents } from './review-items';
import { ReviewItemsRepository } from './review-items.repository';
import { ReviewQueueMetrics } from './review-queue-metrics';
import { ReviewQueueService } from './review-queue.service';
import { ReviewResolver } from './review.resolver';
import { ReviewItemNodeSource } from './review-item-node-source';

/**
 * Review queues, reports, claims, decisions and appeals (SPEC §5, docs/moderation.md), one
 * service per use case: ReviewIntake (items from rules), Reports, Appeals, ReviewDecisions
 * (claims and decisions, with DecisionEffects in the identity store), ReviewQueueService (the
 * queue as moderators read it).
 */
@Module({
  imports: [IdentityModule, BoardsModule, DiscussionsModule, EnforcementModule, AuditModule],
  providers: [
    ReviewItemsRepository,
    ModeratedContentService,
    ReviewQueueEvents,
    ReviewIntake,
    Reports,
    Appeals,
    ReviewDecisions,
    DecisionEffects,
    ReviewQueueService,
    ReviewQueueMetrics,
    ReviewResolver,
    ReviewItemNodeSource,
  ],
})
export class ModerationModule {}
