import type { EntityManager, EntityTarget, Repository } from 'typeorm';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { ContentStatus } from './content-status';
import type { PostColumns } from './post-columns';

/** A position in a walk over posts: after this post (by creation time, then id). */
export interface PostPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * Up to `size` published posts of `posts` (threads or comments), oldest first by keyset on
 * (created_at, id), after `after` and created at or after `since`.
 */
export function publishedBatch<T extends PostColumns>(
  posts: Repository<T>,
  after: PostPosition | null,
  since: Date | null,
  size: number,
): Promise<T[]> {
  const query = posts
    .createQueryBuilder('p')
    .where('p.status = :status', { status: ContentStatus.PUBLISHED });
  if (since !== null) query.andWhere('p.createdAt >= :since', { since: since.getTime() });
  if (after !== null) {
    query.andWhere('(p.createdAt, p.id) > (:afterKey, :afterId)', {
      afterKey: after.createdAt.getTime(),
      afterId: after.id,
    });
  }
  return query.orderBy('p.createdAt', 'ASC').addOrderBy('p.id', 'ASC').limit(size).getMany();
}

/** How many published posts of `posts` come after `after` (all of them when null). */
export function publishedCountAfter<T extends PostColumns>(
  posts: Repository<T>,
  after: PostPosition | null,
): Promise<number> {
  const query = posts
    .createQueryBuilder('p')
    .where('p.status = :status', { status: ContentStatus.PUBLISHED });
  if (after !== null) {
    query.andWhere('(p.createdAt, p.id) > (:afterKey, :afterId)', {
      afterKey: after.createdAt.getTime(),
      afterId: after.id,
    });
  }
  return query.getCount();
}

/** Holds the post (thread or comment) for review if it is still published; false when it no longer is. */
export async function holdIfPublished<T extends PostColumns>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({ status: ContentStatus.HELD } as never)
    .where('id = :id AND status = :published', { id, published: ContentStatus.PUBLISHED })
    .execute();
  return (result.affected ?? 1) > 0;
}

/**
 * The post `id` of `posts`, locked for the rest of the transaction of `manager` and read as it
 * now is, so that concurrent changes to it (votes on its score) are taken one after the other.
 * The read is a named shape (`shape`, its text per store).
 *
 * - PostgreSQL: one `SELECT … FOR UPDATE` (the row lock; waits for a holder, then reads the row
 *   as committed).
 * - SQLite: a write to the row of itself, then the read. The write takes the store's write
 *   lock at the transaction's first statement: TypeORM begins deferred transactions, and with
 *   a read first another process's commit in between would turn this transaction's write into
 *   SQLITE_BUSY_SNAPSHOT instead of a wait.
 */
export async function lockPost<T extends PostColumns>(
  manager: EntityManager,
  posts: EntityTarget<T>,
  id: string,
  shape: string,
): Promise<T | null> {
  const read = manager.createQueryBuilder(posts, 'p').where('p.id = :id', { id });
  if (manager.connection.options.type === 'postgres') read.setLock('pessimistic_write');
  else
    await manager
      .createQueryBuilder()
      .update(posts)
      .set({ score: () => 'score' } as never)
      .where('id = :id', { id })
      .execute();
  return ofShape(read, shape).getOne();
}
