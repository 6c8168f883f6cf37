import { Module } from '@nestjs/common';
import { CommentsRepository } from './comments.repository';
import { OwnPostSlotsRepository } from './own-post-slots.repository';
import { PollsRepository } from './polls.repository';
import { ThreadFollowsRepository } from './thread-follows.repository';
import { ThreadHandlesRepository } from './thread-handles.repository';
import { ThreadsRepository } from './threads.repository';

/**
 * Threads and comments as stored: entities, repositories, statuses, cursors and the withheld
 * filter. Below every feature that reads or judges posts (discussions, compliance
 * enforcement, moderation); it imports none of them.
 */
@Module({
  providers: [
    ThreadsRepository,
    CommentsRepository,
    ThreadHandlesRepository,
    OwnPostSlotsRepository,
    PollsRepository,
    ThreadFollowsRepository,
  ],
  exports: [
    ThreadsRepository,
    CommentsRepository,
    ThreadHandlesRepository,
    OwnPostSlotsRepository,
    PollsRepository,
    ThreadFollowsRepository,
  ],
})
export class PostsModule {}
