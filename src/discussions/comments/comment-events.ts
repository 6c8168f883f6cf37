import type { CommentEntity } from '../../posts/comment.entity';

/** Published on `commentAddedTopic(threadId)` when a new comment is stored and visible. */
export interface CommentAddedEvent {
  commentAdded: CommentEntity;
  threadAuthorToken: string;
  /** Jurisdictions where the comment is withheld: subscribers there are not sent it. */
  withheldIn: readonly string[];
}

export const commentAddedTopic = (threadId: string): string => `comment-added:${threadId}`;
