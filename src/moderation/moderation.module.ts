import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BoardsModule } from '../boards/boards.module';
import { EnforcementModule } from '../compliance/enforcement/enforcement.module';
import { DiscussionsModule } from '../discussions/discussions.module';
import { IdentityModule } from '../identity/identity.module';
import { ModeratedContentService } from './moderated-content';
import { ModerationService } from './moderation.service';
import { ReviewItemsRepository } from './review-items.repository';
import { ReviewQueueService } from './review-queue.service';
import { ReviewResolver } from './review.resolver';

/** Review queues, reports, claims, decisions and appeals (SPEC §5, docs/moderation.md). */
@Module({
  imports: [IdentityModule, BoardsModule, DiscussionsModule, EnforcementModule, AuditModule],
  providers: [
    ReviewItemsRepository,
    ModeratedContentService,
    ModerationService,
    ReviewQueueService,
    ReviewResolver,
  ],
})
export class ModerationModule {}
