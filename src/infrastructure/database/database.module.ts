import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { LoggingModule, PINO } from '../logging/logging.module';
import { dataSourceOptions, type StoreEntities } from './data-source-options';
import { openStore } from './store-bootstrap';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';
import { TransactionRunner } from './transaction-runner';

const storeConnection = (store: StoreName, entities: StoreEntities) => {
  let log: Logger | undefined;
  return TypeOrmModule.forRootAsync({
    name: store,
    imports: [LoggingModule],
    inject: [AppConfig, PINO],
    useFactory: (config: AppConfig, pino: Logger) => {
      log = pino;
      // The stores were checked and paired before the app was created (main.ts,
      // store-pairing.ts); a connection lost in between is tried again as configured.
      return {
        ...dataSourceOptions(config, store, entities),
        retryAttempts: config.DATABASE_CONNECT_RETRIES,
        retryDelay: config.DATABASE_CONNECT_RETRY_MS,
      };
    },
    // Opens the store and applies its pending migrations before anything else uses it, with
    // one log line per migration applied (its name and duration).
    dataSourceFactory: async (options) => {
      if (options === undefined) throw new Error(`No options for the ${store} store`);
      return openStore(options, ({ name, ms }) =>
        log?.info({ store, migration: name, ms }, 'migration applied'),
      );
    },
  });
};

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
