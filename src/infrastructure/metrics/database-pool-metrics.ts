import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AbstractSqliteDriver } from 'typeorm/driver/sqlite-abstract/AbstractSqliteDriver.js';
import { CONTENT_STORE, IDENTITY_STORE } from '../database/stores';
import { MetricsService, type PoolUse } from './metrics.service';

/**
 * Shows each store's connections in `database_pool_connections` and `database_pool_waiting`.
 *
 * PostgreSQL: pg's pool (`totalCount`, `idleCount`, `waitingCount`). SQLite: TypeORM keeps one
 * synchronous connection per file; it counts as in use while a transaction is open on it
 * (a transaction spans awaits, a single query does not), and there is no pool to wait for:
 * writers wait on the application's write lock instead, which `database_pool_waiting` does
 * not show.
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(
    metrics: MetricsService,
    @InjectDataSource(IDENTITY_STORE) identity: DataSource,
    @InjectDataSource(CONTENT_STORE) content: DataSource,
  ) {
    metrics.watchPool(IDENTITY_STORE, () => poolUse(identity));
    metrics.watchPool(CONTENT_STORE, () => poolUse(content));
  }
}

function poolUse(dataSource: DataSource): PoolUse {
  if (dataSource.options.type === 'postgres') {
    // TypeORM types its pg pool as `any`.
    const pool = (dataSource.driver as unknown as { master?: Pool }).master;
    if (pool === undefined) return { inUse: 0, idle: 0, waiting: 0 };
    return {
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    };
  }
  const runner = (dataSource.driver as AbstractSqliteDriver).queryRunner;
  const inUse = runner?.isTransactionActive === true ? 1 : 0;
  return { inUse, idle: 1 - inUse, waiting: null };
}
