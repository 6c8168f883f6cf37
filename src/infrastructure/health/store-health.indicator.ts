import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { corruptionSeen } from '../database/store-faults';
import { StoreInfoEntity } from '../database/store-info.entity';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from '../database/stores';

/**
 * A store is ready when it answers within the timeout, is the store it claims to be, and no
 * query has met a damaged page of its file since start-up (StoreFaultLogger).
 */
@Injectable()
export class StoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
  ) {}

  check(store: StoreName) {
    const dataSource = store === IDENTITY_STORE ? this.identity : this.content;
    return this.indicators.check(store).attempt(async () => {
      // A query met a damaged page: the store stays not ready until it is restored.
      const corruption = corruptionSeen(dataSource);
      if (corruption !== undefined) throw new Error(`the ${store} store is corrupt: ${corruption}`);
      const marker = await dataSource.getRepository(StoreInfoEntity).findOneBy({ key: 'store' });
      if (marker?.value !== store) {
        throw new Error(`the ${store} connection does not point at the ${store} store`);
      }
      return { driver: dataSource.options.type };
    });
  }
}
