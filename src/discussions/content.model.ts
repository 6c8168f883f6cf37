import { createUnionType } from '@nestjs/graphql';
import type { CommentEntity } from '../posts/comment.entity';
import type { ThreadEntity } from '../posts/thread.entity';
import { toCommentModel } from './comments/comment.mapper';
import { Comment } from './comments/comment.model';
import { toThreadModel } from './threads/thread.mapper';
import { Thread } from './threads/thread.model';

/** A thread or a comment: what is voted on, reported and reviewed. */
export const Content = createUnionType({
  name: 'Content',
  description: 'A thread or a comment: what is voted on, reported and reviewed.',
  types: () => [Thread, Comment] as const,
  resolveType: (value: Thread | Comment) => ('title' in value ? Thread : Comment),
});

/** A thread, or a comment with its thread (which marks the original poster), as Content. */
export function toContentModel(
  post: { readonly thread: ThreadEntity; readonly comment?: CommentEntity | null },
  isViewer: boolean,
): Thread | Comment {
  return post.comment == null
    ? toThreadModel(post.thread, isViewer)
    : toCommentModel(post.comment, post.thread.authorToken, isViewer);
}
