import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { excludeWithheld } from './withheld-filter';
import { ContentStatus } from './content-status';
import {
  holdIfPublished,
  lockPost,
  type PostPosition,
  publishedBatch,
  publishedCountAfter,
} from './post-queries';
import type { Cursor } from './cursor';
import { CommentEntity } from './comment.entity';

/** Shown in a thread: published comments, and deleted ones as empty tombstones (replies keep their context). */
const LISTED = [ContentStatus.PUBLISHED, ContentStatus.DELETED];

@Injectable()
export class CommentsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  findById(id: string, manager?: EntityManager): Promise<CommentEntity | null> {
    return (manager ?? this.content.manager).findOneBy(CommentEntity, { id });
  }

  findByIdempotencyKey(key: string, manager?: EntityManager): Promise<CommentEntity | null> {
    return (manager ?? this.content.manager).findOneBy(CommentEntity, { idempotencyKey: key });
  }

  /** Oldest first, keyset-paginated on (created_at, id); up to `limit + 1` rows. */
  findThreadPage(
    threadId: string,
    after: Cursor | null,
    limit: number,
    /** Leave out comments withheld in these jurisdictions (the viewer's)... */
    hiddenIn: readonly string[],
    /** ...but those of the author with this token (the viewer's own). */
    ownToken: string | null = null,
  ): Promise<CommentEntity[]> {
    const query = this.content
      .getRepository(CommentEntity)
      .createQueryBuilder('c')
      .where('c.threadId = :threadId', { threadId })
      .andWhere('c.status IN (:...listed)', { listed: LISTED });
    excludeWithheld(query, 'c', hiddenIn, ownToken);
    if (after !== null) {
      query.andWhere('(c.createdAt, c.id) > (:afterKey, :afterId)', {
        afterKey: after.key,
        afterId: after.id,
      });
    }
    const withheld = hiddenIn.length === 0 ? 'none' : ownToken === null ? 'hidden' : 'hiddenButOwn';
    return ofShape(
      query
        .orderBy('c.createdAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(limit + 1),
      `comments.threadPage:${withheld}:${after !== null}:${limit}`,
    ).getMany();
  }

  async insert(manager: EntityManager, comment: CommentEntity): Promise<void> {
    await manager.insert(CommentEntity, comment);
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Partial<Pick<CommentEntity, 'body' | 'editedAt' | 'status'>>,
  ): Promise<void> {
    await manager.update(CommentEntity, { id }, changes);
  }

  /** Locks the row for the rest of the transaction and returns it as it now is (lockPost). */
  lock(manager: EntityManager, id: string): Promise<CommentEntity | null> {
    return lockPost(manager, CommentEntity, id, 'comments.byId.locked');
  }

  async setScore(manager: EntityManager, id: string, score: number): Promise<void> {
    await manager.update(CommentEntity, { id }, { score });
  }

  findByIds(ids: readonly string[]): Promise<CommentEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.content.getRepository(CommentEntity).findBy({ id: In([...ids]) });
  }

  /** Holds the post for review if it is still published; false when it no longer is. */
  holdIfPublished(manager: EntityManager, id: string): Promise<boolean> {
    return holdIfPublished(manager, CommentEntity, id);
  }

  /** Published posts oldest first, a batch at a time (retroactive runs, impact previews). */
  publishedBatch(
    after: PostPosition | null,
    since: Date | null,
    size: number,
  ): Promise<CommentEntity[]> {
    return publishedBatch(this.content.getRepository(CommentEntity), after, since, size);
  }

  /** Published ones after `after` (a retroactive run's posts still to scan). */
  publishedCountAfter(after: PostPosition | null): Promise<number> {
    return publishedCountAfter(this.content.getRepository(CommentEntity), after);
  }
}
