import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { ThreadFollowEntity } from './thread-follow.entity';

/** Follows of threads by keyed follow token (ThreadFollowEntity). */
@Injectable()
export class ThreadFollowsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /** The tokens among `tokens` that follow something (one query, by primary key). */
  async existing(tokens: readonly string[]): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const query = this.content
      .getRepository(ThreadFollowEntity)
      .createQueryBuilder('f')
      .select('f.followToken', 'followToken')
      .where('f.followToken IN (:...tokens)', { tokens: [...tokens] });
    const rows = await ofShape(query, 'threadFollows.of').getRawMany<{ followToken: string }>();
    return new Set(rows.map((row) => row.followToken));
  }

  /** Follows once: a second follow with the same token changes nothing. */
  async add(manager: EntityManager, follow: ThreadFollowEntity): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ThreadFollowEntity)
      .values(follow)
      .orIgnore()
      .execute();
  }

  async remove(manager: EntityManager, followToken: string): Promise<void> {
    await manager.delete(ThreadFollowEntity, { followToken });
  }

  /** The thread's follows, but `exceptToken`'s. */
  async ofThread(
    manager: EntityManager,
    threadId: string,
    exceptToken: string | null,
  ): Promise<ThreadFollowEntity[]> {
    const query = manager
      .createQueryBuilder(ThreadFollowEntity, 'f')
      .where('f.threadId = :threadId', { threadId });
    const rows = await ofShape(query, 'threadFollows.ofThread').getMany();
    return rows.filter((row) => row.followToken !== exceptToken);
  }
}
