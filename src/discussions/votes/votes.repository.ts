import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { VoteEntity } from './vote.entity';

@Injectable()
export class VotesRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  find(manager: EntityManager, targetId: string, voterToken: string): Promise<VoteEntity | null> {
    return manager.findOneBy(VoteEntity, { targetId, voterToken });
  }

  /** The votes behind these voter tokens (each token already names one person and one target). */
  findByVoterTokens(tokens: readonly string[]): Promise<VoteEntity[]> {
    if (tokens.length === 0) return Promise.resolve([]);
    return this.content.getRepository(VoteEntity).findBy({ voterToken: In([...tokens]) });
  }

  /** Sets (value ±1) or withdraws (value 0) one vote. */
  async put(
    manager: EntityManager,
    targetId: string,
    voterToken: string,
    previous: VoteEntity | null,
    value: number,
  ): Promise<void> {
    if (value === 0) {
      if (previous !== null) await manager.delete(VoteEntity, { targetId, voterToken });
    } else if (previous === null) {
      await manager.insert(VoteEntity, { targetId, voterToken, value });
    } else {
      await manager.update(VoteEntity, { targetId, voterToken }, { value });
    }
  }
}
