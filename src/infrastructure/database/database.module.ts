import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openStore } from './store-bootstrap';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';
import { TransactionRunner } from './transaction-runner';

const storeConnection = (store: StoreName) =>
  TypeOrmModule.forRootAsync({
    name: store,
    inject: [AppConfig],
    useFactory: (config: AppConfig) => dataSourceOptions(config, store),
    // Opens the store and applies its pending migrations before anything else uses it.
    dataSourceFactory: async (options) => {
      if (options === undefined) throw new Error(`No options for the ${store} store`);
      return openStore(options);
    },
  });

@Global()
@Module({
  imports: [storeConnection(IDENTITY_STORE), storeConnection(CONTENT_STORE)],
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
