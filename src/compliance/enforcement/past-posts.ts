import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import type { PostKind } from './content-enforcement.entity';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { CommentEntity } from '../../posts/comment.entity';
import { ContentStatus } from '../../posts/content-status';
import { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';

/** A stored, published post with the board it is on. */
export interface PastPost {
  readonly id: string;
  readonly kind: PostKind;
  readonly threadId: string;
  readonly title: string | null;
  readonly body: string;
  readonly createdAt: Date;
  readonly board: BoardEntity;
}

/** A position in the walk: after this post (by creation time, then id). */
export interface PastPostCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * Walks published threads or comments oldest first, a batch at a time, by keyset on
 * (created_at, id): what retroactive publication and impact previews read, without ever
 * loading more than one batch.
 */
@Injectable()
export class PastPosts {
  constructor(
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
    private readonly threads: ThreadsRepository,
    private readonly boards: BoardsService,
  ) {}

  async batch(
    kind: PostKind,
    after: PastPostCursor | null,
    since: Date | null,
    size: number,
  ): Promise<PastPost[]> {
    const entity = kind === 'THREAD' ? ThreadEntity : CommentEntity;
    const query = this.content
      .getRepository<ThreadEntity | CommentEntity>(entity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: ContentStatus.PUBLISHED });
    if (since !== null) query.andWhere('p.createdAt >= :since', { since: since.getTime() });
    if (after !== null) {
      query.andWhere('(p.createdAt, p.id) > (:afterKey, :afterId)', {
        afterKey: after.createdAt.getTime(),
        afterId: after.id,
      });
    }
    const rows = await query
      .orderBy('p.createdAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(size)
      .getMany();
    const threadOf = new Map<string, ThreadEntity>();
    if (kind === 'COMMENT') {
      const ids = [...new Set(rows.map((row) => (row as CommentEntity).threadId))];
      for (const thread of await this.threads.findByIds(ids)) threadOf.set(thread.id, thread);
    }
    const posts: PastPost[] = [];
    for (const row of rows) {
      const thread =
        kind === 'THREAD' ? (row as ThreadEntity) : threadOf.get((row as CommentEntity).threadId);
      const board = thread === undefined ? null : await this.boards.byId(thread.boardId);
      if (thread === undefined || board === null) continue;
      posts.push({
        id: row.id,
        kind,
        threadId: thread.id,
        title: kind === 'THREAD' ? thread.title : null,
        body: row.body,
        createdAt: row.createdAt,
        board,
      });
    }
    return posts;
  }
}
