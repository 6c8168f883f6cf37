import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StoreInfoEntity } from '../database/store-info.entity';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from '../database/stores';

/** A store is ready when it answers within the timeout and is the store it claims to be. */
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
      const marker = await dataSource.getRepository(StoreInfoEntity).findOneBy({ key: 'store' });
      if (marker?.value !== store) {
        throw new Error(`the ${store} connection does not point at the ${store} store`);
      }
      return { driver: dataSource.options.type };
    });
  }
}
