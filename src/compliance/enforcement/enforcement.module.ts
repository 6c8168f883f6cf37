import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { BoardsModule } from '../../boards/boards.module';
import { PostsModule } from '../../posts/posts.module';
import { ImpactPreviewResolver } from './impact-preview.resolver';
import { ImpactPreviewService } from './impact-preview.service';
import { PastPosts } from './past-posts';
import { RetroactiveRunResolver } from './retroactive-run.resolver';
import { RetroactiveEnforcement } from './retroactive-enforcement.service';
import { RetroactiveRunsRepository } from './retroactive-runs.repository';
import { ComplianceCounters } from './compliance-counters';
import { ComplianceRecordsRepository } from './compliance-records.repository';
import { ComplianceModule } from '../compliance.module';
import { ContentPolicy } from './content-policy.service';

/**
 * Compliance on the content side: judging posts, withholdings, notices, review requests (the
 * `review.requested` domain event), the daily action counters of the transparency report,
 * retroactive runs over past posts and impact previews. Reads posts through PostsModule.
 */
@Module({
  imports: [ComplianceModule, PostsModule, BoardsModule, AuditModule],
  providers: [
    ContentPolicy,
    ComplianceRecordsRepository,
    ComplianceCounters,
    PastPosts,
    RetroactiveRunsRepository,
    RetroactiveEnforcement,
    ImpactPreviewService,
    ImpactPreviewResolver,
    RetroactiveRunResolver,
  ],
  exports: [ContentPolicy, ComplianceModule, ComplianceCounters],
})
export class EnforcementModule {}
