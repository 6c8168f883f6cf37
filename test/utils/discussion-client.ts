import { dataOf } from './compliance-client';
import type { SignedInClient } from './identity-client';

/** Creates a thread as `by` on the board; returns its id (throws on errors). */
export async function postThread(
  by: SignedInClient,
  boardId: string,
  title: string,
  body: string,
): Promise<string> {
  const { createThread } = await dataOf(
    by.gql<{ createThread: { thread: { id: string } } }>(
      'mutation ($b: ID!, $t: String!, $body: String!) { createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } } }',
      { b: boardId, t: title, body },
    ),
  );
  return createThread.thread.id;
}

/** Comments as `by` on the thread; returns the comment's id (throws on errors). */
export async function postComment(
  by: SignedInClient,
  threadId: string,
  body: string,
): Promise<string> {
  const { createComment } = await dataOf(
    by.gql<{ createComment: { comment: { id: string } } }>(
      'mutation ($t: ID!, $body: String!) { createComment(input: { threadId: $t, body: $body }) { comment { id } } }',
      { t: threadId, body },
    ),
  );
  return createComment.comment.id;
}
