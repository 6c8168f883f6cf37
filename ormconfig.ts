import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './src/infrastructure/config/app-config';
import { storeOptions } from './src/store-entities';
import { STORES, type StoreName } from './src/infrastructure/database/stores';

/**
 * The DataSource for the TypeORM CLI (after `npm run build`):
 *   STORE=identity npx typeorm migration:generate -d dist/ormconfig.js src/infrastructure/database/migrations/identity/<Name>
 * STORE picks the store (identity | content, default content); the rest of the environment is
 * the server's. `npm run migration:run` applies both stores' migrations.
 */
const store = (process.env.STORE ?? 'content') as StoreName;
if (!STORES.includes(store)) throw new Error(`STORE must be one of ${STORES.join(', ')}`);

export default new DataSource(storeOptions(AppConfig.fromEnv(), store));
