import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { escapedTablePath } from '../../infrastructure/database/table-path';
import { ReporterStatEntity } from './reporter-stat.entity';

/** How many of each reporter's reports were upheld and rejected (identity store). */
@Injectable()
export class ReporterStatsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  findByAccount(accountId: string): Promise<ReporterStatEntity | null> {
    return this.identity.getRepository(ReporterStatEntity).findOneBy({ accountId });
  }

  /**
   * Adds one to the account's upheld or rejected count, creating its row if needed. A single
   * atomic upsert-increment, so concurrent decisions never lose a count on either engine.
   */
  async increment(manager: EntityManager, accountId: string, upheld: boolean): Promise<void> {
    const metadata = manager.connection.getMetadata(ReporterStatEntity);
    const driver = manager.connection.driver;
    const table = escapedTablePath(manager.connection, ReporterStatEntity);
    const column = upheld ? 'upheld' : 'rejected';
    const existing = `${driver.escape(metadata.tableName)}.${column}`;
    // INSERT … ON CONFLICT DO UPDATE: the same statement on SQLite (≥ 3.24) and PostgreSQL.
    const [sql, parameters] = driver.escapeQueryWithParameters(
      `INSERT INTO ${table} (account_id, upheld, rejected) VALUES (:accountId, :upheld, :rejected)
       ON CONFLICT (account_id) DO UPDATE SET ${column} = ${existing} + 1`,
      { accountId, upheld: upheld ? 1 : 0, rejected: upheld ? 0 : 1 },
    );
    await manager.query(sql, parameters);
  }
}
