import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { LoggingModule, PINO } from '../logging/logging.module';
import { dataSourceOptions, type StoreEntities } from './data-source-options';
import { openStore } from './store-bootstrap';
import { connectOrRefuse, refuseVanishedFile } from './store-pairing';
import { CONTENT_STORE, IDENTITY_STORE, type StoreName } from './stores';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { TransactionRunner } from './transaction-runner';

const storeConnection = (store: StoreName, entities: StoreEntities) => {
  let log: Logger | undefined;
  let appConfig: AppConfig | undefined;
  return TypeOrmModule.forRootAsync({
    name: store,
    imports: [LoggingModule],
    inject: [AppConfig, PINO],
    useFactory: (config: AppConfig, pino: Logger) => {
      log = pino;
      appConfig = config;
      return {
        ...dataSourceOptions(config, store, entities),
        // Retried below (DATABASE_CONNECT_RETRIES, one JSON line each), not by TypeORM's module,
        // whose retries log Nest text with a stack.
        toRetry: () => false,
      };
    },
    // The stores were checked and paired before the app was created (main.ts, store-pairing.ts).
    // A store lost in between (PostgreSQL gone, a SQLite file removed) is refused as the pairing
    // refuses it: a StoreRefusal, which serve.ts logs as one JSON line before exiting with its code.
    // Opens the store and applies its pending migrations before anything else uses it, with
    // one log line per migration applied (its name and duration).
    dataSourceFactory: async (options) => {
      if (options === undefined || appConfig === undefined || log === undefined)
        throw new Error(`No options for the ${store} store`);
      const pino = log;
      return connectOrRefuse(store, options, appConfig, pino, () => {
        refuseVanishedFile(store, options);
        return openStore(options, ({ name, ms }) =>
          pino.info({ store, migration: name, ms }, 'migration applied'),
        );
      });
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
      providers: [TransactionRunner, SqliteCheckpointer],
      exports: [TransactionRunner],
    };
  }
}
