import type { EntityManager } from 'typeorm';
import type { CommentEntity } from './comment.entity';
import type { CommentsRepository } from './comments.repository';
import type { ThreadEntity } from './thread.entity';
import type { ThreadsRepository } from './threads.repository';

/**
 * The post with this id, whatever its status: a thread, or a comment with its thread; null
 * when there is none (or a comment's thread is gone). In the caller's transaction if given.
 */
export async function findPost(
  threads: ThreadsRepository,
  comments: CommentsRepository,
  id: string,
  manager?: EntityManager,
): Promise<{ thread: ThreadEntity; comment: CommentEntity | null } | null> {
  const thread = await threads.findById(id, manager);
  if (thread !== null) return { thread, comment: null };
  const comment = await comments.findById(id, manager);
  const parent = comment === null ? null : await threads.findById(comment.threadId, manager);
  return comment === null || parent === null ? null : { thread: parent, comment };
}
