import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Comment } from '../comments/comment.model';
import { Content } from '../content.model';
import type { Thread } from '../threads/thread.model';

@ObjectType({ description: 'A vote as cast: what it is on, with its new score, and your vote.' })
export class VotePayload {
  @Field(() => Content, { description: 'The thread or comment voted on, as it now is.' })
  content!: Thread | Comment;

  @Field(() => Int, { description: 'The new score.' })
  score!: number;

  @Field(() => Int, { description: 'Your vote now: -1, 0 or 1.' })
  viewerVote!: number;
}
