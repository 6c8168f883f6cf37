import { Injectable } from '@nestjs/common';
import { ThreadOrder } from './thread-order';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { excludeWithheld, onlyWithheld } from './withheld-filter';
import { ContentStatus } from './content-status';
import {
  holdIfPublished,
  lockPost,
  type PostPosition,
  publishedBatch,
  publishedCountAfter,
} from './post-queries';
import type { Cursor } from './cursor';
import { ThreadEntity } from './thread.entity';

/** Sort key per order; each is served by an index (board_id, status, <key>, id). */
const SORT_KEY: Record<ThreadOrder, 'createdAt' | 'score' | 'hotRank'> = {
  [ThreadOrder.NEW]: 'createdAt',
  [ThreadOrder.TOP]: 'score',
  [ThreadOrder.HOT]: 'hotRank',
};

export function threadSortKey(thread: ThreadEntity, order: ThreadOrder): number {
  const key = SORT_KEY[order];
  return key === 'createdAt' ? thread.createdAt.getTime() : thread[key];
}

@Injectable()
export class ThreadsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /**
   * By primary key, through a builder rather than find options: their processing cost this
   * read (the first of every thread read) more than its SQL.
   */
  findById(id: string, manager?: EntityManager): Promise<ThreadEntity | null> {
    return ofShape(
      (manager ?? this.content.manager)
        .createQueryBuilder(ThreadEntity, 't')
        .where('t.id = :id', { id }),
      'threads.byId',
    ).getOne();
  }

  findByIds(ids: readonly string[]): Promise<ThreadEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.content.getRepository(ThreadEntity).findBy({ id: In([...ids]) });
  }

  findByIdempotencyKey(key: string, manager?: EntityManager): Promise<ThreadEntity | null> {
    return (manager ?? this.content.manager).findOneBy(ThreadEntity, { idempotencyKey: key });
  }

  /**
   * One page of a board's published threads, keyset-paginated on (sort key, id) descending:
   * the index is entered at the cursor, so page N costs what page 1 costs. Returns up to
   * `limit + 1` rows so the caller can tell whether there is a next page.
   */
  findFeedPage(
    boardId: string,
    order: ThreadOrder,
    after: Cursor | null,
    limit: number,
    /** Only threads created at or after this instant (TOP windows). */
    since: Date | null,
    /** Leave out threads withheld in these jurisdictions (the viewer's). */
    hiddenIn: readonly string[],
  ): Promise<ThreadEntity[]> {
    const key = `t.${SORT_KEY[order]}`;
    const query = this.publishedIn(boardId, since);
    excludeWithheld(query, 't', hiddenIn);
    if (after !== null) {
      query.andWhere(`(${key}, t.id) < (:afterKey, :afterId)`, {
        afterKey: after.key,
        afterId: after.id,
      });
    }
    const shape = `threads.feedPage:${order}:${since !== null}:${hiddenIn.length > 0}:${after !== null}:${limit}`;
    return ofShape(
      query
        .orderBy(key, 'DESC')
        .addOrderBy('t.id', 'DESC')
        .limit(limit + 1),
      shape,
    ).getMany();
  }

  /**
   * The published threads of the board withheld in `hiddenIn` between `after` (exclusive) and
   * `through` (inclusive; null: to the end), in feed order, at most `limit`: what a feed page
   * left out, for the viewer to get their own back.
   */
  findWithheldBetween(
    boardId: string,
    order: ThreadOrder,
    after: Cursor | null,
    through: Cursor | null,
    since: Date | null,
    hiddenIn: readonly string[],
    limit: number,
  ): Promise<ThreadEntity[]> {
    const key = `t.${SORT_KEY[order]}`;
    const query = this.publishedIn(boardId, since);
    onlyWithheld(query, 't', hiddenIn);
    if (after !== null) {
      query.andWhere(`(${key}, t.id) < (:afterKey, :afterId)`, {
        afterKey: after.key,
        afterId: after.id,
      });
    }
    if (through !== null) {
      query.andWhere(`(${key}, t.id) >= (:throughKey, :throughId)`, {
        throughKey: through.key,
        throughId: through.id,
      });
    }
    const shape = `threads.withheldBetween:${order}:${since !== null}:${hiddenIn.length > 0}:${after !== null}:${through !== null}:${limit}`;
    return ofShape(
      query.orderBy(key, 'DESC').addOrderBy('t.id', 'DESC').limit(limit),
      shape,
    ).getMany();
  }

  /**
   * Trending candidates: the published threads of `boardIds` created at or after `since`,
   * newest first, at most `limit`, leaving out those withheld in `hiddenIn`. Walks
   * idx_threads_status_time from `since` on, so it reads the window and no further.
   */
  findCreatedSince(
    boardIds: readonly string[],
    since: Date,
    hiddenIn: readonly string[],
    limit: number,
  ): Promise<ThreadEntity[]> {
    if (boardIds.length === 0) return Promise.resolve([]);
    const query = this.content
      .getRepository(ThreadEntity)
      .createQueryBuilder('t')
      .where('t.status = :status', { status: ContentStatus.PUBLISHED })
      .andWhere('t.createdAt >= :since', { since: since.getTime() })
      .andWhere('t.boardId IN (:...boardIds)', { boardIds: [...boardIds] });
    excludeWithheld(query, 't', hiddenIn);
    return query.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').limit(limit).getMany();
  }

  /** The threads of `ids` that are published and not withheld in `hiddenIn` (by primary key). */
  findPublishedByIds(ids: readonly string[], hiddenIn: readonly string[]): Promise<ThreadEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const query = this.content
      .getRepository(ThreadEntity)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: [...ids] })
      .andWhere('t.status = :status', { status: ContentStatus.PUBLISHED });
    excludeWithheld(query, 't', hiddenIn);
    return query.getMany();
  }

  /** The board's published threads (alias `t`), created at or after `since` when given. */
  private publishedIn(boardId: string, since: Date | null): SelectQueryBuilder<ThreadEntity> {
    const query = this.content
      .getRepository(ThreadEntity)
      .createQueryBuilder('t')
      .where('t.boardId = :boardId', { boardId })
      .andWhere('t.status = :status', { status: ContentStatus.PUBLISHED });
    if (since !== null) query.andWhere('t.createdAt >= :since', { since: since.getTime() });
    return query;
  }

  async insert(manager: EntityManager, thread: ThreadEntity): Promise<void> {
    await manager.insert(ThreadEntity, thread);
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Partial<Pick<ThreadEntity, 'title' | 'body' | 'editedAt' | 'status'>>,
  ): Promise<void> {
    await manager.update(ThreadEntity, { id }, changes);
  }

  async addToCommentCount(manager: EntityManager, id: string, delta: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(ThreadEntity)
      .set({ commentCount: () => `comment_count + ${Math.trunc(delta)}` })
      .where('id = :id', { id })
      .execute();
  }

  /** Locks the row for the rest of the transaction and returns it as it now is (lockPost). */
  lock(manager: EntityManager, id: string): Promise<ThreadEntity | null> {
    return lockPost(manager, ThreadEntity, id, 'threads.byId.locked');
  }

  async setScore(
    manager: EntityManager,
    id: string,
    score: number,
    hotRank: number,
  ): Promise<void> {
    await manager.update(ThreadEntity, { id }, { score, hotRank });
  }

  /** Holds the post for review if it is still published; false when it no longer is. */
  holdIfPublished(manager: EntityManager, id: string): Promise<boolean> {
    return holdIfPublished(manager, ThreadEntity, id);
  }

  /** Published posts oldest first, a batch at a time (retroactive runs, impact previews). */
  publishedBatch(
    after: PostPosition | null,
    since: Date | null,
    size: number,
  ): Promise<ThreadEntity[]> {
    return publishedBatch(this.content.getRepository(ThreadEntity), after, since, size);
  }

  /** Published ones after `after` (a retroactive run's posts still to scan). */
  publishedCountAfter(after: PostPosition | null): Promise<number> {
    return publishedCountAfter(this.content.getRepository(ThreadEntity), after);
  }
}
