import type { ActivityEffect } from '../../../infrastructure/events/domain-event-catalogue';

/** The i-th of a batch's new-comment effects, each telling one reader of its own (unit specs). */
export function activityEffect(i: number): ActivityEffect {
  return {
    kind: 'activity',
    effectId: `effect-${i}`,
    threadId: `thread-${i}`,
    commentId: `comment-${i}`,
    threadTitle: 'A thread',
    at: 0,
    authorRef: `author-${i}`,
    recipients: [{ sealedRef: `reader-${i}`, reason: 'REPLY_TO_THREAD' }],
  };
}

/**
 * Counts turns of the event loop (one per `setImmediate` round) until `stop`: what a test
 * reads with `turn()` tells which turn the code under test ran in.
 */
export function turnCounter(): { turn: () => number; stop: () => void } {
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    turn: () => turn,
    stop: () => {
      counting = false;
    },
  };
}
