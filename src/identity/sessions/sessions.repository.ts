import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, LessThan, Not } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { AccountEntity } from '../accounts/account.entity';
import { SessionEntity } from './session.entity';

/** What a request needs of a live session: its account, the account's jurisdiction, its expiry. */
export interface LiveSession {
  accountId: string;
  jurisdiction: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Sessions, by the keyed hash of their token (identity store). */
@Injectable()
export class SessionsRepository {
  /**
   * The SQL of `findLive`, built once: every signed-in request runs it, and building it with
   * the query builder each time cost as much as running it (docs/performance.md, issue 25).
   */
  private readonly liveSql: string;

  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {
    [this.liveSql] = identity
      .createQueryBuilder(SessionEntity, 's')
      .innerJoin(AccountEntity, 'a', 'a.id = s.accountId')
      .select('a.id', 'accountId')
      .addSelect('a.jurisdiction', 'jurisdiction')
      .addSelect('s.expiresAt', 'expiresAt')
      // Placeholders only (a number would be written into the SQL as a literal).
      .where('s.tokenHash = :tokenHash', { tokenHash: '' })
      .andWhere('s.expiresAt > :now', { now: '' })
      .getQueryAndParameters();
  }

  /**
   * The account of the session of `tokenHash` if the session has not expired at `now` and its
   * account exists: one statement, read on every signed-in request.
   */
  async findLive(tokenHash: string, now: Date): Promise<LiveSession | null> {
    const rows = await this.identity.query<
      Array<{ accountId: string; jurisdiction: string; expiresAt: number | string }>
    >(this.liveSql, [tokenHash, now.getTime()]);
    const row = rows[0];
    // A bigint: a string on PostgreSQL.
    return row === undefined
      ? null
      : {
          accountId: row.accountId,
          jurisdiction: row.jurisdiction,
          expiresAt: Number(row.expiresAt),
        };
  }

  async insert(manager: EntityManager, session: SessionEntity): Promise<void> {
    await manager.insert(SessionEntity, session);
  }

  /** Everybody's sessions that expired before `now`. */
  async deleteExpired(manager: EntityManager, now: Date): Promise<void> {
    await manager.delete(SessionEntity, { expiresAt: LessThan(now) });
  }

  async delete(manager: EntityManager, tokenHash: string): Promise<void> {
    await manager.delete(SessionEntity, { tokenHash });
  }

  /** Every session of the account, except `keep` (a token hash) when given. */
  async deleteOfAccount(manager: EntityManager, accountId: string, keep?: string): Promise<void> {
    await manager.delete(
      SessionEntity,
      keep === undefined ? { accountId } : { accountId, tokenHash: Not(keep) },
    );
  }
}
