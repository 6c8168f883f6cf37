import { roundToMinute } from '../../common/time';
import { ContentStatus } from '../../posts/content-status';
import type { ThreadEntity } from '../../posts/thread.entity';
import type { Thread } from './thread.model';

/** `isViewer`: whether the viewer's author token for this thread equals the stored one. */
export function toThreadModel(thread: ThreadEntity, isViewer: boolean): Thread {
  const deleted = thread.status === ContentStatus.DELETED;
  return {
    id: thread.id,
    boardId: thread.boardId,
    title: deleted ? '' : thread.title,
    body: deleted ? '' : thread.body,
    author: {
      handle: thread.authorHandle,
      employerLabel: thread.authorLabel,
      isOriginalPoster: true,
      isViewer,
    },
    status: thread.status,
    score: thread.score,
    commentCount: thread.commentCount,
    createdAt: roundToMinute(thread.createdAt),
    editedAt: thread.editedAt === null ? null : roundToMinute(thread.editedAt),
  };
}
