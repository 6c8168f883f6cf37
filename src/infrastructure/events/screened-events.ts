import type { AppException } from '../../common/errors';

/**
 * The last value of a stream that ended because its subscriber may no longer read it; the
 * subscription's `resolve` throws its error, so the client is told why.
 */
export class StreamEnded {
  constructor(readonly error: AppException) {}
}

/** What a subscription does with one event: send it, pass over it, or end the stream. */
export type Screening = 'deliver' | 'skip' | StreamEnded;

/**
 * The stream of `source`'s events that `screen` lets through. When `screen` answers with a
 * `StreamEnded`, the pub/sub subscription is dropped at once and that is the final value
 * (graphql-ws then completes the operation). Unlike graphql-subscriptions' `withFilter`, a
 * subscriber who may no longer read is not kept subscribed, receiving nothing, until it
 * disconnects.
 *
 * A hand-written iterator rather than an async generator: `return()` must reach the source
 * while a `next()` is still waiting for an event, or an unsubscribed client would stay
 * registered with the pub/sub engine until the next event.
 */
export function screenedEvents<T>(
  source: AsyncIterator<T>,
  screen: (event: T) => Promise<Screening>,
): AsyncIterableIterator<T | StreamEnded> {
  let open = true;
  const close = async (): Promise<IteratorResult<T | StreamEnded>> => {
    open = false;
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next(): Promise<IteratorResult<T | StreamEnded>> {
      while (open) {
        const result = await source.next();
        if (result.done === true || !open) break;
        const verdict = await screen(result.value);
        if (!open) break;
        if (verdict === 'deliver') return result;
        if (verdict instanceof StreamEnded) {
          await close();
          return { value: verdict, done: false };
        }
      }
      return close();
    },
    return: close,
    async throw(error: unknown): Promise<IteratorResult<T | StreamEnded>> {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
