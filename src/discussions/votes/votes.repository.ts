import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { keptSql, ofShape } from '../../infrastructure/database/sql-shapes';
import { VoteEntity } from './vote.entity';

@Injectable()
export class VotesRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  find(manager: EntityManager, targetId: string, voterToken: string): Promise<VoteEntity | null> {
    const query = manager
      .createQueryBuilder(VoteEntity, 'v')
      .where('v.targetId = :targetId AND v.voterToken = :voterToken', { targetId, voterToken });
    return ofShape(query, 'votes.one').getOne();
  }

  /** The votes behind these voter tokens (each token already names one person and one target). */
  findByVoterTokens(
    tokens: readonly string[],
  ): Promise<Array<Pick<VoteEntity, 'targetId' | 'value'>>> {
    if (tokens.length === 0) return Promise.resolve([]);
    return this.content.query(this.byTokensSqlFor(tokens.length), [...tokens]);
  }

  /**
   * The SQL of `findByVoterTokens` for `count` tokens, written once per count (keptSql): a
   * member's feed page runs it on every request, and building it with the query builder (and
   * hydrating entities) each time cost more than running it (docs/performance.md, issue 25).
   */
  private byTokensSqlFor(count: number): string {
    return keptSql(this.content, `votes.byTokens:${count}`, () => {
      const [sql] = this.content
        .createQueryBuilder(VoteEntity, 'v')
        .select('v.targetId', 'targetId')
        .addSelect('v.value', 'value')
        .where('v.voterToken IN (:...tokens)', { tokens: new Array<string>(count).fill('') })
        .getQueryAndParameters();
      return sql;
    });
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
