import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { PostsModule } from '../posts/posts.module';
import { CompaniesModule } from '../companies/companies.module';
import { EnforcementModule } from '../compliance/enforcement/enforcement.module';
import { IdentityModule } from '../identity/identity.module';
import { ContentAccess } from './access/content-access.service';
import { AuthorIdentityService } from './author-identity.service';
import { CommentSubscriptionsResolver } from './comments/comment-subscriptions.resolver';
import { CommentsResolver } from './comments/comments.resolver';
import { CommentsService } from './comments/comments.service';
import { DiscussionLoaders } from './discussion.loaders';
import { FollowTokens } from './follows/follow-tokens';
import { FollowsResolver } from './follows/follows.resolver';
import { FollowsService } from './follows/follows.service';
import { ThreadActivity } from './follows/thread-activity.service';
import { OwnPostSlots } from './own-posts/own-post-slots.service';
import { OwnPostsResolver } from './own-posts/own-posts.resolver';
import { OwnPostsService } from './own-posts/own-posts.service';
import { BoardThreadsResolver, HomeResolver, ThreadsResolver } from './threads/threads.resolver';
import { PrefilledThreadFields } from './threads/prefilled-fields';
import { CommentNodeSource, PollNodeSource, ThreadNodeSource } from './discussion-node-sources';
import { ThreadsService } from './threads/threads.service';
import { FeedPageCache } from './threads/feed-page-cache';
import { TrendingService } from './threads/trending.service';
import { PollClosing } from './polls/poll-closing.service';
import { PollsResolver, ThreadPollResolver } from './polls/polls.resolver';
import { PollsService } from './polls/polls.service';
import { SearchResolver } from './search/search.resolver';
import { SearchService } from './search/search.service';
import { VotesRepository } from './votes/votes.repository';
import { VotesResolver } from './votes/votes.resolver';
import { VotesService } from './votes/votes.service';

/** Threads, comments, votes, polls and board feeds as members use them; who may see and act on a post (access/). */
@Module({
  imports: [
    IdentityModule,
    CompaniesModule,
    BoardsModule,
    PostsModule,
    EnforcementModule,
    AuditModule,
  ],
  providers: [
    AuthorIdentityService,
    ContentAccess,
    VotesRepository,
    ThreadsService,
    FeedPageCache,
    CommentsService,
    VotesService,
    DiscussionLoaders,
    ThreadsResolver,
    ThreadNodeSource,
    CommentNodeSource,
    PollNodeSource,
    BoardThreadsResolver,
    HomeResolver,
    PrefilledThreadFields,
    TrendingService,
    CommentsResolver,
    CommentSubscriptionsResolver,
    VotesResolver,
    OwnPostSlots,
    OwnPostsService,
    OwnPostsResolver,
    PollsService,
    PollsResolver,
    ThreadPollResolver,
    PollClosing,
    FollowTokens,
    FollowsService,
    FollowsResolver,
    ThreadActivity,
    SearchService,
    SearchResolver,
  ],
  exports: [PostsModule, ThreadsService, AuthorIdentityService, ContentAccess, ThreadActivity],
})
export class DiscussionsModule {}
