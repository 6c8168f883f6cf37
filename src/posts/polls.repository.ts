import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { PollEntity, PollOptionEntity, PollVoteEntity } from './poll.entity';

/** A poll with its options in order. */
export interface StoredPoll {
  readonly poll: PollEntity;
  readonly options: readonly PollOptionEntity[];
}

/** Polls as stored: a thread's poll, its options and their counts, and the voters' rows. */
@Injectable()
export class PollsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  async insert(
    manager: EntityManager,
    poll: PollEntity,
    options: readonly PollOptionEntity[],
  ): Promise<void> {
    await manager.insert(PollEntity, poll);
    await manager.insert(PollOptionEntity, [...options]);
  }

  /** The polls of these threads with their options, by thread id (threads without one absent). */
  async byThreadIds(
    threadIds: readonly string[],
    manager: EntityManager = this.content.manager,
  ): Promise<Map<string, StoredPoll>> {
    const found = new Map<string, StoredPoll>();
    if (threadIds.length === 0) return found;
    const polls = await manager.findBy(PollEntity, { threadId: In([...new Set(threadIds)]) });
    if (polls.length === 0) return found;
    const options = await manager.find(PollOptionEntity, {
      where: { pollId: In(polls.map((p) => p.id)) },
      order: { pollId: 'ASC', position: 'ASC' },
    });
    for (const poll of polls) {
      found.set(poll.threadId, { poll, options: options.filter((o) => o.pollId === poll.id) });
    }
    return found;
  }

  findById(id: string): Promise<PollEntity | null> {
    return this.content.manager.findOneBy(PollEntity, { id });
  }

  /**
   * The poll, re-read under a write lock (an update of its own row to itself): concurrent votes
   * on one poll are taken one after the other, so no count is lost and no one votes twice.
   */
  async lock(manager: EntityManager, id: string): Promise<StoredPoll | null> {
    await manager
      .createQueryBuilder()
      .update(PollEntity)
      .set({ voterCount: () => 'voter_count' })
      .where('id = :id', { id })
      .execute();
    const poll = await manager.findOneBy(PollEntity, { id });
    if (poll === null) return null;
    const options = await manager.find(PollOptionEntity, {
      where: { pollId: id },
      order: { position: 'ASC' },
    });
    return { poll, options };
  }

  /** Whether one of these voter tokens (one person's, under the current and previous key) has voted. */
  async hasVoted(
    manager: EntityManager,
    pollId: string,
    voterTokens: readonly string[],
  ): Promise<boolean> {
    return (
      (await manager.countBy(PollVoteEntity, { pollId, voterToken: In([...voterTokens]) })) > 0
    );
  }

  /** Records one person's choice (options of the locked poll) and counts it. */
  async recordVote(
    manager: EntityManager,
    pollId: string,
    voterToken: string,
    optionIds: readonly string[],
  ): Promise<void> {
    await manager.insert(
      PollVoteEntity,
      optionIds.map((optionId) => ({ pollId, voterToken, optionId })),
    );
    await manager
      .createQueryBuilder()
      .update(PollOptionEntity)
      .set({ votes: () => 'votes + 1' })
      .where({ id: In([...optionIds]), pollId })
      .execute();
    await manager
      .createQueryBuilder()
      .update(PollEntity)
      .set({ voterCount: () => 'voter_count + 1' })
      .where('id = :id', { id: pollId })
      .execute();
  }

  /** The chosen options behind these voter tokens (each token names one person and one poll). */
  findVotesByTokens(tokens: readonly string[]): Promise<PollVoteEntity[]> {
    if (tokens.length === 0) return Promise.resolve([]);
    return this.content.manager.findBy(PollVoteEntity, { voterToken: In([...tokens]) });
  }

  /** Polls whose closing time has passed and whose closing was not announced yet (a few at a time). */
  closedUnannounced(now: Date, limit: number): Promise<PollEntity[]> {
    return this.content.manager.find(PollEntity, {
      where: { closeAnnounced: false, closesAt: LessThanOrEqual(now) },
      take: limit,
    });
  }

  /**
   * Marks the poll's closing as announced; true only for the one caller (of any instance) that
   * changed it, so a closing is announced once.
   */
  async markAnnounced(manager: EntityManager, id: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(PollEntity)
      .set({ closeAnnounced: true })
      .where('id = :id AND close_announced = :no', { id, no: false })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Removes a thread's poll, its options and every vote on it (the thread is deleted). */
  async deleteOfThread(manager: EntityManager, threadId: string): Promise<void> {
    const poll = await manager.findOneBy(PollEntity, { threadId });
    if (poll === null) return;
    await manager.delete(PollVoteEntity, { pollId: poll.id });
    await manager.delete(PollOptionEntity, { pollId: poll.id });
    await manager.delete(PollEntity, { id: poll.id });
  }
}
