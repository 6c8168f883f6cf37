import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions, type StoreEntities } from './data-source-options';
import { openStore } from './store-bootstrap';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';
import { TransactionRunner } from './transaction-runner';

const storeConnection = (store: StoreName, entities: StoreEntities) =>
  TypeOrmModule.forRootAsync({
    name: store,
    inject: [AppConfig],
    useFactory: (config: AppConfig) => dataSourceOptions(config, store, entities),
    // Opens the store and applies its pending migrations before anything else uses it.
    dataSourceFactory: async (options) => {
      if (options === undefined) throw new Error(`No options for the ${store} store`);
      return openStore(options);
    },
  });

/** The two stores, each with the entities it is handed (app.module passes src/store-entities.ts). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: StoreEntities): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        storeConnection(IDENTITY_STORE, entities),
        storeConnection(CONTENT_STORE, entities),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
