import { roundToMinute } from '../../common/time';
import { ContentStatus } from '../../posts/content-status';
import type { CommentEntity } from '../../posts/comment.entity';
import type { Comment } from './comment.model';

/**
 * `threadAuthorToken` marks the original poster (same keyed author token as the thread);
 * `isViewer` compares the viewer's author token for the thread.
 */
export function toCommentModel(
  comment: CommentEntity,
  threadAuthorToken: string,
  isViewer: boolean,
): Comment {
  return {
    id: comment.id,
    threadId: comment.threadId,
    parentId: comment.parentId,
    body: comment.status === ContentStatus.DELETED ? '' : comment.body,
    author: {
      handle: comment.authorHandle,
      employerLabel: comment.authorLabel,
      isOriginalPoster: comment.authorToken === threadAuthorToken,
      isViewer,
    },
    status: comment.status,
    score: comment.score,
    createdAt: roundToMinute(comment.createdAt),
    editedAt: comment.editedAt === null ? null : roundToMinute(comment.editedAt),
  };
}
