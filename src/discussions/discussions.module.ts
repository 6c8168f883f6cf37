import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { CompaniesModule } from '../companies/companies.module';
import { EnforcementModule } from '../compliance/enforcement/enforcement.module';
import { IdentityModule } from '../identity/identity.module';
import { ContentAccess } from './access/content-access.service';
import { AuthorIdentityService } from './author-identity.service';
import { ImpactPreviewResolver } from './compliance/impact-preview.resolver';
import { ImpactPreviewService } from './compliance/impact-preview.service';
import { PastPosts } from './compliance/past-posts';
import { RetroactiveEnforcement } from './compliance/retroactive-enforcement.service';
import { CommentsRepository } from './comments/comments.repository';
import { CommentSubscriptionsResolver } from './comments/comment-subscriptions.resolver';
import { CommentsResolver } from './comments/comments.resolver';
import { CommentsService } from './comments/comments.service';
import { DiscussionLoaders } from './discussion.loaders';
import { BoardThreadsResolver, ThreadsResolver } from './threads/threads.resolver';
import { ThreadsRepository } from './threads/threads.repository';
import { ThreadsService } from './threads/threads.service';
import { VotesRepository } from './votes/votes.repository';
import { VotesResolver } from './votes/votes.resolver';
import { VotesService } from './votes/votes.service';

/** Threads, comments, votes and board feeds, and compliance's work on them (retroactive runs, impact previews). */
@Module({
  imports: [IdentityModule, CompaniesModule, BoardsModule, EnforcementModule, AuditModule],
  providers: [
    AuthorIdentityService,
    ContentAccess,
    ThreadsRepository,
    CommentsRepository,
    VotesRepository,
    ThreadsService,
    CommentsService,
    VotesService,
    DiscussionLoaders,
    ThreadsResolver,
    BoardThreadsResolver,
    CommentsResolver,
    CommentSubscriptionsResolver,
    VotesResolver,
    PastPosts,
    RetroactiveEnforcement,
    ImpactPreviewService,
    ImpactPreviewResolver,
  ],
  exports: [
    ThreadsRepository,
    CommentsRepository,
    ThreadsService,
    AuthorIdentityService,
    ContentAccess,
  ],
})
export class DiscussionsModule {}
