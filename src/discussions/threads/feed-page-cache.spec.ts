import { AppConfig } from '../../infrastructure/config/app-config';
import { ThreadOrder } from '../../posts/thread-order';
import type { ThreadEntity } from '../../posts/thread.entity';
import type { Touched } from '../../infrastructure/database/transaction-runner';
import type { ContentWrites } from '../../infrastructure/events/content-writes';
import { FeedPageCache, type SliceKey } from './feed-page-cache';

type Listener = (touched: Touched | null) => void;

/** The content-write signal, fired by the test (a write that declares nothing by default). */
function writes(): { signal: ContentWrites; write: (touched?: Touched) => void } {
  const listeners: Listener[] = [];
  const signal = { onWrite: (listener: Listener) => listeners.push(listener) };
  return {
    signal: signal as unknown as ContentWrites,
    write: (touched) => listeners.forEach((listener) => listener(touched ?? null)),
  };
}

const slice = (overrides: Partial<SliceKey> = {}): SliceKey => ({
  boardId: 'b1',
  jurisdictions: ['US'],
  order: ThreadOrder.NEW,
  cursor: null,
  limit: 20,
  ...overrides,
});
const rows = (id: string) => [{ id } as ThreadEntity];

describe('FeedPageCache', () => {
  const cacheWith = (ms: string) => {
    const signal = writes();
    return {
      cache: new FeedPageCache(AppConfig.fromEnv({ FEED_PAGE_CACHE_MS: ms }), signal.signal),
      write: signal.write,
    };
  };

  it('shares one computation between readers of the same slice, and keeps slices apart', async () => {
    const { cache } = cacheWith('60000');
    const compute = jest.fn(() => Promise.resolve(rows('a')));
    const [first, second] = await Promise.all([
      cache.shared('published', slice({ jurisdictions: ['CN', 'US'] }), compute),
      cache.shared('published', slice({ jurisdictions: ['US', 'CN'] }), compute),
    ]);
    expect(first).toBe(second);
    expect(compute).toHaveBeenCalledTimes(1);
    // Another jurisdiction, cursor, size, order, board or part is another slice.
    for (const other of [
      slice({ jurisdictions: ['CN'] }),
      slice({ cursor: { order: ThreadOrder.NEW, key: 5, id: 'x' } }),
      slice({ limit: 10 }),
      slice({ order: ThreadOrder.TOP }),
      slice({ boardId: 'b2' }),
    ]) {
      await cache.shared('published', other, compute);
    }
    await cache.shared('withheld', slice({ jurisdictions: ['US', 'CN'] }), compute);
    expect(compute).toHaveBeenCalledTimes(7);
  });

  it('reads the store again after every content write that may change a feed', async () => {
    const { cache, write } = cacheWith('60000');
    const read = (label: string) =>
      cache.shared('published', slice(), () => Promise.resolve(rows(label)));
    expect(await read('old')).toEqual(rows('old'));
    // A vote on a comment (its thread's page only) and the outbox's bookkeeping touch no feed.
    write({ pages: ['t1'] });
    write({});
    expect(await read('new')).toEqual(rows('old'));
    // A comment (a thread's comment count), a vote on a thread, a new thread: they do.
    write({ threads: ['t2'] });
    expect(await read('newer')).toEqual(rows('newer'));
    write({ ranks: ['b1'], threads: ['t2'] });
    expect(await read('newest')).toEqual(rows('newest'));
    write({ boards: ['b2'], threads: ['t3'] });
    expect(await read('latest')).toEqual(rows('latest'));
    write();
    expect(await read('last')).toEqual(rows('last'));
  });

  it('keeps no failed computation', async () => {
    const { cache } = cacheWith('60000');
    await expect(
      cache.shared('published', slice(), () => Promise.reject(new Error('store away'))),
    ).rejects.toThrow('store away');
    expect(await cache.shared('published', slice(), () => Promise.resolve(rows('a')))).toEqual(
      rows('a'),
    );
  });

  it('computes every time when FEED_PAGE_CACHE_MS is 0', async () => {
    const { cache } = cacheWith('0');
    const compute = jest.fn(() => Promise.resolve(rows('a')));
    await cache.shared('published', slice(), compute);
    await cache.shared('published', slice(), compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
