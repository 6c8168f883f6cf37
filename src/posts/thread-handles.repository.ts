import { Injectable } from '@nestjs/common';
import { type EntityManager, EntityNotFoundError } from 'typeorm';
import { insertUnlessTaken } from '../infrastructure/database/insert-unless-taken';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { ThreadHandleEntity } from './thread-handle.entity';

/** The handles taken in each thread (ThreadHandleEntity). */
@Injectable()
export class ThreadHandlesRepository {
  /** The handle the author with this token already carries in the thread, if any. */
  async handleOf(
    manager: EntityManager,
    threadId: string,
    authorToken: string,
  ): Promise<string | null> {
    const query = manager
      .createQueryBuilder(ThreadHandleEntity, 'h')
      .where('h.threadId = :threadId AND h.authorToken = :authorToken', { threadId, authorToken });
    const row = await ofShape(query, 'threadHandles.ofAuthor').getOne();
    return row?.handle ?? null;
  }

  /**
   * Takes `handle` in the thread for the author with this token unless someone holds it —
   * also when another transaction takes it at the same moment (the key decides; the loser
   * inserts nothing and, on PostgreSQL, waits for the winner to commit) — and returns the
   * author token that holds it now.
   */
  async claim(
    manager: EntityManager,
    threadId: string,
    handle: string,
    authorToken: string,
  ): Promise<string> {
    if (await insertUnlessTaken(manager, ThreadHandleEntity, { threadId, handle, authorToken }))
      return authorToken;
    const query = manager
      .createQueryBuilder(ThreadHandleEntity, 'h')
      .where('h.threadId = :threadId AND h.handle = :handle', { threadId, handle });
    const row = await ofShape(query, 'threadHandles.holder').getOne();
    if (row === null) throw new EntityNotFoundError(ThreadHandleEntity, { threadId, handle });
    return row.authorToken;
  }
}
