import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, LessThan, MoreThan, Not } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { SessionEntity } from './session.entity';

/** Sessions, by the keyed hash of their token (identity store). */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  /** The session of `tokenHash` if it has not expired at `now`. */
  findLive(tokenHash: string, now: Date): Promise<SessionEntity | null> {
    return this.identity
      .getRepository(SessionEntity)
      .findOneBy({ tokenHash, expiresAt: MoreThan(now) });
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
