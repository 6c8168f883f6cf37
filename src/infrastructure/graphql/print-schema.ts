import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { AppModule } from '../../app.module';
import { AppConfig } from '../config/app-config';
import { SCHEMA_FILE } from './graphql.module';

/** Builds the application (on a throwaway SQLite store) and prints its GraphQL schema, sorted. */
export async function buildSchemaText(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-schema-'));
  const config = AppConfig.fromEnv({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: false,
    bodyParser: false,
  });
  try {
    await app.init();
    return `${printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema))}\n`;
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  buildSchemaText().then(
    (text) => {
      writeFileSync(SCHEMA_FILE, text);
      process.stdout.write(`Wrote ${SCHEMA_FILE}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
