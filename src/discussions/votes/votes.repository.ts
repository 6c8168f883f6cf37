import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { keptSql, ofShape } from '../../infrastructure/database/sql-shapes';
import { VoteEntity } from './vote.entity';

@Injectable()
export class VotesRepository {
  /** Reads of votes by token asked in the same turn of the event loop, as one query (votesOf). */
  private readonly byToken = new DataLoader<string, number>(
    async (tokens) => {
      // Padded to a power of two with repeats of the first token: a handful of SQL texts
      // (and prepared statements) for every batch size.
      const padded = new Array<string>(2 ** Math.ceil(Math.log2(tokens.length))).fill(tokens[0]);
      tokens.forEach((token, i) => (padded[i] = token));
      const rows = await this.content.query<Array<{ voterToken: string; value: number }>>(
        this.byTokensSqlFor(padded.length),
        padded,
      );
      const values = new Map(rows.map((row) => [row.voterToken, Number(row.value)]));
      return tokens.map((token) => values.get(token) ?? 0);
    },
    { cache: false, maxBatchSize: MAX_TOKENS_PER_READ },
  );

  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  find(manager: EntityManager, targetId: string, voterToken: string): Promise<VoteEntity | null> {
    const query = manager
      .createQueryBuilder(VoteEntity, 'v')
      .where('v.targetId = :targetId AND v.voterToken = :voterToken', { targetId, voterToken });
    return ofShape(query, 'votes.one').getOne();
  }

  /**
   * The value of the vote behind each voter token (each names one person and one target), 0
   * where there is none. Reads asked in the same turn of the event loop go together in one
   * query, whoever asks: a shared page's reader needs their votes on its thread and on its
   * comments, and readers arriving together need theirs (tokens are unique, so each answer
   * goes back only to the read that asked for it).
   */
  votesOf(tokens: readonly string[]): Promise<number[]> {
    if (tokens.length === 0) return Promise.resolve([]);
    return this.byToken.loadMany(tokens).then((values) =>
      values.map((value) => {
        if (value instanceof Error) throw value;
        return value;
      }),
    );
  }

  /**
   * The SQL of a read of `count` tokens, written once per count (keptSql): a member's feed
   * page runs it on every request, and building it with the query builder (and hydrating
   * entities) each time cost more than running it (docs/performance.md, issue 25).
   */
  private byTokensSqlFor(count: number): string {
    return keptSql(this.content, `votes.byTokens:${count}`, () => {
      const [sql] = this.content
        .createQueryBuilder(VoteEntity, 'v')
        .select('v.voterToken', 'voterToken')
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

/** Voter tokens one query reads at most (a power of two, within every store's bound on parameters). */
const MAX_TOKENS_PER_READ = 512;
